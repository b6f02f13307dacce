// Adboard's only script (progressive enhancement; every page works without it): a submitted form
// shows that it is working and is not sent a second time by an impatient second click.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form.dataset.submitting === 'yes') {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = 'yes';
  for (const button of form.querySelectorAll('button')) {
    button.setAttribute('aria-busy', 'true');
  }
});

// Coming back with the browser's Back button restores the page as it was: make its forms usable.
window.addEventListener('pageshow', () => {
  for (const form of document.querySelectorAll('form[data-submitting]')) {
    delete form.dataset.submitting;
    for (const button of form.querySelectorAll('button')) button.removeAttribute('aria-busy');
  }
});

// A form sent back with errors: `autofocus` already puts the caret in the first marked field; if
// the browser skipped it (e.g. a restored page), move focus there and bring it into view.
const firstInvalid = document.querySelector('[aria-invalid="true"]');
if (firstInvalid && document.activeElement !== firstInvalid) {
  firstInvalid.focus();
}
