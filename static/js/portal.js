// Portal-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // htmx would inject its indicator <style> at start-up, which style-src 'self' forbids;
  // portal.css has the indicator rules. (Deferred scripts run before htmx's start-up.)
  if (window.htmx) window.htmx.config.includeIndicatorStyles = false;
  // Move focus to the main content after the skip link, for screen readers and keyboards.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.skip-link");
    if (!link) return;
    const main = document.getElementById("konten");
    if (main) main.focus();
  });
})();
