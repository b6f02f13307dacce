// The dashboard's charts (Chart.js, vendored), a loading indicator while a new range or a refresh
// is fetched, and a sortable daily table. Data comes from the page's JSON block
// (<script type="application/json" id="dashboard-data">); no inline script anywhere.
(() => {
  const loading = document.getElementById('loading');
  const showLoading = () => {
    if (!loading) return;
    loading.hidden = false;
    document.querySelector('main')?.setAttribute('aria-busy', 'true');
  };
  // A preset, the custom range, Refresh or Try again: the next page is being fetched.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-preset], a[data-testid=refresh], a[data-testid=retry]');
    if (link && !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey) showLoading();
  });
  document.querySelector('form.custom-range')?.addEventListener('submit', showLoading);
  window.addEventListener('pageshow', () => {
    if (loading) loading.hidden = true;
    document.querySelector('main')?.removeAttribute('aria-busy');
  });

  // Sortable table: click a header to sort by its column (again to reverse).
  const table = document.querySelector('table.sortable');
  table?.querySelectorAll('th[data-sort]').forEach((th, column) => {
    th.tabIndex = 0;
    const sort = () => {
      const body = table.tBodies[0];
      const ascending = th.dataset.order !== 'asc';
      table.querySelectorAll('th').forEach((h) => { delete h.dataset.order; h.removeAttribute('aria-sort'); });
      th.dataset.order = ascending ? 'asc' : 'desc';
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const value = (row) => row.cells[column].dataset.value ?? '';
      const rows = [...body.rows].sort((a, b) => {
        const [x, y] = [value(a), value(b)];
        const cmp = th.dataset.sort === 'number'
          ? (x === '' ? -Infinity : Number(x)) - (y === '' ? -Infinity : Number(y))
          : x.localeCompare(y);
        return ascending ? cmp : -cmp;
      });
      body.append(...rows);
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
  });

  const block = document.getElementById('dashboard-data');
  if (!block || typeof window.Chart === 'undefined') return;
  const data = JSON.parse(block.textContent);
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: data.currency });
  const blue = '#1f5fbf', orange = '#d9822b', faded = 'rgba(31, 95, 191, 0.45)';
  const spendColors = data.still_changing.map((changing) => (changing ? faded : blue));
  const base = { responsive: true, maintainAspectRatio: false, animation: false };
  const charts = {};

  charts.daily = new window.Chart(document.getElementById('chart-daily'), {
    data: {
      labels: data.labels,
      datasets: [
        { type: 'bar', label: `Spend (${data.currency})`, data: data.spend, backgroundColor: spendColors, yAxisID: 'spend' },
        { type: 'line', label: 'Conversions', data: data.conversions, borderColor: orange, backgroundColor: orange, yAxisID: 'conversions', pointRadius: 2 },
      ],
    },
    options: {
      ...base,
      scales: {
        spend: { position: 'left', beginAtZero: true, ticks: { callback: (v) => money.format(v) } },
        conversions: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } },
      },
      plugins: { tooltip: { callbacks: { footer: (items) => (data.still_changing[items[0].dataIndex] ? 'May still change (attribution window)' : '') } } },
    },
  });
  charts.cpa = new window.Chart(document.getElementById('chart-cpa'), {
    type: 'line',
    data: { labels: data.labels, datasets: [{ label: `CPA (${data.currency})`, data: data.cpa, borderColor: blue, backgroundColor: blue, spanGaps: true, pointRadius: 2 }] },
    options: { ...base, scales: { y: { beginAtZero: true, ticks: { callback: (v) => money.format(v) } } } },
  });
  charts.weekday = new window.Chart(document.getElementById('chart-weekday'), {
    type: 'doughnut',
    data: {
      labels: data.weekday_labels,
      datasets: [{ label: 'Spend', data: data.weekday_spend, backgroundColor: ['#1f5fbf', '#3f7fd9', '#6b9fe6', '#d9822b', '#e6a15c', '#8a5fbf', '#5fbf8a'] }],
    },
    options: { ...base, plugins: { tooltip: { callbacks: { label: (item) => `${item.label}: ${money.format(item.raw)}` } } } },
  });
  // For checks (the browser test reads how many points each chart drew).
  window.adboardCharts = charts;
})();
