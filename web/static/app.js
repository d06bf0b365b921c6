// Progressive enhancement only: every page works without this file.
// A button with data-confirm asks before its form is sent (batch approval, key revocation).
document.addEventListener('submit', (event) => {
  const button = event.submitter;
  const message = button?.getAttribute('data-confirm');
  if (message && !window.confirm(message)) event.preventDefault();
  // One submit per click: a double click must not approve twice (the server refuses it anyway).
  if (!event.defaultPrevented && button)
    setTimeout(() => {
      button.disabled = true;
    }, 0);
});
