//! What the dashboard shows, computed from two series (the range and the period before it): the
//! score cards with their change, the daily rows (days in the attribution window marked), the
//! chart data, and the CSV. Exact decimals throughout; floats only for the charts.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::series::{Day, Series, Totals};

/// Facebook's attribution window: the numbers of the last 28 days may still change.
pub const ATTRIBUTION_DAYS: u64 = 28;

/// How a card's value is written.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Money,
    Count,
    Percent,
    Times,
}

/// One score card. `value` is `None` ("—") where a ratio has a zero denominator.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub key: &'static str,
    pub label: &'static str,
    /// Plain number (e.g. `1234.5`), for machines; `None` when undefined.
    pub raw: Option<String>,
    /// As people read it, e.g. `€1,234.50`; `—` when undefined.
    pub display: String,
    pub change: Option<Change>,
    /// Whether a rise is good news (`false` for costs such as CPA).
    pub higher_is_better: bool,
}

/// The change against the previous period of equal length.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// e.g. `12.3 %`, always non-negative; the direction says which way.
    pub percent: String,
    /// `up`, `down` or `flat`.
    pub direction: &'static str,
    /// Whether this change is good news.
    pub good: bool,
}

/// One day of the table (and of the CSV).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub date: NaiveDate,
    pub spend: String,
    pub spend_display: String,
    pub impressions: u64,
    pub clicks: u64,
    pub conversions: String,
    /// Empty when there were no conversions.
    pub cpa: String,
    pub cpa_display: String,
    pub conversion_value: String,
    pub conversion_value_display: String,
    /// Within the attribution window: the numbers may still change.
    pub still_changing: bool,
}

/// What `dashboard.js` draws.
#[derive(Debug, Clone, Serialize)]
pub struct Charts {
    pub currency: String,
    pub labels: Vec<NaiveDate>,
    pub spend: Vec<f64>,
    pub conversions: Vec<f64>,
    pub cpa: Vec<Option<f64>>,
    pub still_changing: Vec<bool>,
    pub weekday_labels: [&'static str; 7],
    pub weekday_spend: [f64; 7],
}

/// The report for one range.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub cards: Vec<Card>,
    pub rows: Vec<Row>,
    pub charts: Charts,
    /// The first day whose numbers may still change, if the range reaches into the window.
    pub changing_from: Option<NaiveDate>,
}

struct Metrics {
    spend: Decimal,
    impressions: Decimal,
    clicks: Decimal,
    conversions: Decimal,
    conversion_value: Decimal,
}

impl From<&Totals> for Metrics {
    fn from(t: &Totals) -> Self {
        Self {
            spend: t.spend,
            impressions: Decimal::from(t.impressions),
            clicks: Decimal::from(t.clicks),
            conversions: t.conversions,
            conversion_value: t.conversion_value,
        }
    }
}

fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    (!den.is_zero()).then(|| num / den)
}

impl Metrics {
    /// (key, label, unit, higher is better, value) for every card, in display order.
    fn cards(&self) -> [(&'static str, &'static str, Unit, bool, Option<Decimal>); 10] {
        let hundred = Decimal::ONE_HUNDRED;
        [
            ("spend", "Spend", Unit::Money, true, Some(self.spend)),
            (
                "impressions",
                "Impressions",
                Unit::Count,
                true,
                Some(self.impressions),
            ),
            ("clicks", "Clicks", Unit::Count, true, Some(self.clicks)),
            (
                "conversions",
                "Conversions",
                Unit::Count,
                true,
                Some(self.conversions),
            ),
            (
                "ctr",
                "CTR",
                Unit::Percent,
                true,
                ratio(self.clicks * hundred, self.impressions),
            ),
            (
                "cpc",
                "CPC",
                Unit::Money,
                false,
                ratio(self.spend, self.clicks),
            ),
            (
                "cpm",
                "CPM",
                Unit::Money,
                false,
                ratio(self.spend * Decimal::ONE_THOUSAND, self.impressions),
            ),
            (
                "cpa",
                "CPA",
                Unit::Money,
                false,
                ratio(self.spend, self.conversions),
            ),
            (
                "conversion_value",
                "Conversion value",
                Unit::Money,
                true,
                Some(self.conversion_value),
            ),
            (
                "roas",
                "ROAS",
                Unit::Times,
                true,
                ratio(self.conversion_value, self.spend),
            ),
        ]
    }
}

/// Builds the report for `current`, compared with `previous` when there is one. `today` is in
/// the account's timezone.
pub fn report(current: &Series, previous: Option<&Series>, today: NaiveDate) -> Report {
    let currency = current.currency.as_str();
    let now = Metrics::from(&current.totals).cards();
    let before = previous.map(|p| Metrics::from(&p.totals).cards());
    let cards = now
        .iter()
        .enumerate()
        .map(|(i, (key, label, unit, higher_is_better, value))| Card {
            key,
            label,
            raw: value.map(|v| plain(v.round_dp(4))),
            display: value.map_or_else(|| "—".to_owned(), |v| format_value(v, *unit, currency)),
            change: before
                .as_ref()
                .and_then(|b| change(b[i].4, *value, *higher_is_better)),
            higher_is_better: *higher_is_better,
        })
        .collect();
    let changing_from = today.checked_sub_days(Days::new(ATTRIBUTION_DAYS - 1));
    let still_changing = |d: NaiveDate| changing_from.is_some_and(|from| d >= from);
    let rows: Vec<Row> = current
        .data
        .iter()
        .map(|d| row(d, currency, still_changing(d.date)))
        .collect();
    Report {
        charts: charts(current, &rows),
        changing_from: changing_from.filter(|from| *from <= current.until),
        cards,
        rows,
    }
}

fn row(d: &Day, currency: &str, still_changing: bool) -> Row {
    let cpa = ratio(d.spend, d.conversions).map(|v| v.round_dp(2));
    Row {
        date: d.date,
        spend: plain(d.spend),
        spend_display: money(d.spend, currency),
        impressions: d.impressions,
        clicks: d.clicks,
        conversions: plain(d.conversions),
        cpa: cpa.map(plain).unwrap_or_default(),
        cpa_display: cpa.map_or_else(|| "—".to_owned(), |v| money(v, currency)),
        conversion_value: plain(d.conversion_value),
        conversion_value_display: money(d.conversion_value, currency),
        still_changing,
    }
}

fn charts(series: &Series, rows: &[Row]) -> Charts {
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let mut weekday_spend = [0.0; 7];
    for day in &series.data {
        weekday_spend[day.date.weekday().num_days_from_monday() as usize] += f(day.spend);
    }
    Charts {
        currency: series.currency.clone(),
        labels: series.data.iter().map(|d| d.date).collect(),
        spend: series.data.iter().map(|d| f(d.spend)).collect(),
        conversions: series.data.iter().map(|d| f(d.conversions)).collect(),
        cpa: series
            .data
            .iter()
            .map(|d| ratio(d.spend, d.conversions).map(|v| f(v.round_dp(2))))
            .collect(),
        still_changing: rows.iter().map(|r| r.still_changing).collect(),
        weekday_labels: [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .map(weekday_name),
        weekday_spend: weekday_spend.map(|v| (v * 100.0).round() / 100.0),
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// The change from `before` to `now`; `None` ("—") when either is undefined or `before` is zero.
fn change(before: Option<Decimal>, now: Option<Decimal>, higher_is_better: bool) -> Option<Change> {
    let (before, now) = (before?, now?);
    let pct = ratio((now - before) * Decimal::ONE_HUNDRED, before)?.round_dp(1);
    let direction = if pct.is_zero() {
        "flat"
    } else if pct.is_sign_positive() {
        "up"
    } else {
        "down"
    };
    Some(Change {
        percent: format!("{} %", plain(pct.abs())),
        direction,
        good: match direction {
            "up" => higher_is_better,
            "down" => !higher_is_better,
            _ => true,
        },
    })
}

fn format_value(v: Decimal, unit: Unit, currency: &str) -> String {
    match unit {
        Unit::Money => money(v, currency),
        Unit::Count => grouped(v.round_dp(2)),
        Unit::Percent => format!("{} %", plain(v.round_dp(2))),
        Unit::Times => format!("{}×", plain(v.round_dp(2))),
    }
}

/// A number without exponent or trailing zeros, e.g. `1234.5`.
pub fn plain(v: Decimal) -> String {
    v.normalize().to_string()
}

/// `€1,234.50`, `$12.00`, `1,234.50 CHF`.
pub fn money(v: Decimal, currency: &str) -> String {
    let amount = grouped_fixed(v.round_dp(2), 2);
    let (sign, amount) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest.to_owned()),
        None => ("", amount),
    };
    match currency {
        "EUR" => format!("{sign}€{amount}"),
        "USD" => format!("{sign}${amount}"),
        "GBP" => format!("{sign}£{amount}"),
        other => format!("{sign}{amount} {other}"),
    }
}

/// Thousands separators, keeping the decimals as they are.
fn grouped(v: Decimal) -> String {
    let text = plain(v);
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let int = group_digits(int);
    frac.map_or(int.clone(), |f| format!("{int}.{f}"))
}

fn grouped_fixed(v: Decimal, dp: u32) -> String {
    let mut v = v;
    v.rescale(dp);
    let text = v.to_string();
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    format!("{}.{frac}", group_digits(int))
}

fn group_digits(int: &str) -> String {
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// The daily rows as CSV: a header row, ISO dates, plain numbers (CPA empty without conversions).
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("date,spend,impressions,clicks,conversions,cpa,conversion_value\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            r.date, r.spend, r.impressions, r.clicks, r.conversions, r.cpa, r.conversion_value
        ));
    }
    out
}

/// JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the two JavaScript line
/// separators escaped, so the text can never close the element or be read as markup.
pub fn json_for_script<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(value)?;
    Ok(json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029"))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn day(date: &str, spend: &str, imp: u64, clicks: u64, conv: &str, value: &str) -> Day {
        Day {
            date: NaiveDate::from_str(date).unwrap(),
            spend: dec(spend),
            impressions: imp,
            clicks,
            conversions: dec(conv),
            conversion_value: dec(value),
        }
    }

    fn series(days: Vec<Day>) -> Series {
        let mut totals = Totals::default();
        for d in &days {
            totals.spend += d.spend;
            totals.impressions += d.impressions;
            totals.clicks += d.clicks;
            totals.conversions += d.conversions;
            totals.conversion_value += d.conversion_value;
        }
        Series {
            account_id: "1".into(),
            currency: "EUR".into(),
            timezone: "Europe/Berlin".into(),
            since: days[0].date,
            until: days[days.len() - 1].date,
            conversion_event: "purchase".into(),
            conversion_action_type: "omni_purchase".into(),
            data: days,
            totals,
        }
    }

    fn card<'a>(r: &'a Report, key: &str) -> &'a Card {
        r.cards.iter().find(|c| c.key == key).unwrap()
    }

    #[test]
    fn cards_compute_ratios_and_changes_and_never_nan() {
        let now = series(vec![day("2026-05-02", "100", 10000, 200, "4", "400")]);
        let before = series(vec![day("2026-05-01", "80", 8000, 100, "0", "0")]);
        let r = report(
            &now,
            Some(&before),
            NaiveDate::from_str("2026-09-01").unwrap(),
        );
        assert_eq!(card(&r, "spend").display, "€100.00");
        assert_eq!(card(&r, "spend").change.as_ref().unwrap().percent, "25 %");
        assert_eq!(card(&r, "ctr").raw.as_deref(), Some("2"));
        assert_eq!(card(&r, "cpa").display, "€25.00");
        assert!(
            card(&r, "cpa").change.is_none(),
            "the previous CPA is undefined: —"
        );
        assert!(card(&r, "conversions").change.is_none(), "from zero: —");
        assert_eq!(card(&r, "roas").display, "4×");
        let cpc = card(&r, "cpc").change.as_ref().unwrap();
        assert_eq!(
            (cpc.direction, cpc.good),
            ("down", true),
            "CPC fell from 0.80 to 0.50"
        );
        let empty = series(vec![day("2026-05-02", "0", 0, 0, "0", "0")]);
        let r = report(&empty, None, NaiveDate::from_str("2026-09-01").unwrap());
        for key in ["ctr", "cpc", "cpm", "cpa", "roas"] {
            assert_eq!(card(&r, key).display, "—", "{key}");
            assert!(card(&r, key).raw.is_none());
        }
        let text = serde_json::to_string(&r).unwrap();
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
    }

    #[test]
    fn the_last_28_days_are_marked_as_still_changing() {
        let s = series(vec![
            day("2026-05-03", "1", 1, 1, "0", "0"),
            day("2026-05-04", "1", 1, 1, "0", "0"),
        ]);
        // today 2026-05-31: the window is 2026-05-04 … 2026-05-31
        let r = report(&s, None, NaiveDate::from_str("2026-05-31").unwrap());
        assert_eq!(
            r.rows.iter().map(|r| r.still_changing).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(r.changing_from, NaiveDate::from_str("2026-05-04").ok());
    }

    #[test]
    fn money_is_grouped_in_the_account_currency() {
        assert_eq!(money(dec("1234567.891"), "EUR"), "€1,234,567.89");
        assert_eq!(money(dec("12"), "USD"), "$12.00");
        assert_eq!(money(dec("-5.5"), "GBP"), "-£5.50");
        assert_eq!(money(dec("999.999"), "CHF"), "1,000.00 CHF");
    }

    #[test]
    fn csv_has_a_header_iso_dates_and_plain_numbers() {
        let s = series(vec![
            day("2026-05-01", "1234.50", 1000, 10, "2", "99.9"),
            day("2026-05-02", "0", 0, 0, "0", "0"),
        ]);
        let r = report(&s, None, NaiveDate::from_str("2026-09-01").unwrap());
        assert_eq!(
            csv(&r.rows),
            "date,spend,impressions,clicks,conversions,cpa,conversion_value\n\
             2026-05-01,1234.5,1000,10,2,617.25,99.9\n\
             2026-05-02,0,0,0,0,,0\n"
        );
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let text = json_for_script(&["</script><b>&", "\u{2028}"]).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back[0], "</script><b>&");
    }
}
