// Portal-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // htmx would inject its indicator <style> at start-up, which style-src 'self' forbids;
  // portal.css has the indicator rules. (Deferred scripts run before htmx's start-up.)
  // htmx also copies the old element's attributes onto a swapped-in one with the same id, "style"
  // among them, with setAttribute: that is an inline style too. An element styled through the
  // CSSOM (Bootstrap's collapse, tooltips, charts) keeps a style="" attribute afterwards, and
  // its swap would log a CSP violation; so htmx settles classes and sizes only.
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }
  // Move focus to the main content after the skip link, for screen readers and keyboards.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.skip-link");
    if (!link) return;
    const main = document.getElementById("konten");
    if (main) main.focus();
  });
  // "Salin" buttons (e.g. kiosk links): copy the text of the field they name.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-target]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copyTarget);
    if (!field) return;
    field.select();
    const done = function () {
      button.textContent = button.dataset.copiedLabel || button.textContent;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
