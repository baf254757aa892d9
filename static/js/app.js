/* Small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Show the save state of autosaved fields ("Saving…", "Saved", "Not saved").
  document.addEventListener("htmx:beforeRequest", function (event) {
    var status = document.getElementById(event.detail.elt.getAttribute("data-status") || "");
    if (status) status.textContent = status.getAttribute("data-saving") || "";
  });
  document.addEventListener("htmx:sendError", function (event) {
    var status = document.getElementById(event.detail.elt.getAttribute("data-status") || "");
    if (status) status.textContent = status.getAttribute("data-offline") || "";
  });

  // Server-rendered errors come back as 4xx partials: swap them in too, so the
  // message shows beside what the person typed.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var code = event.detail.xhr.status;
    if (code === 409 || code === 422 || code === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A gentle warning, not a block, when more than the recommended areas are chosen.
  function updateAreaWarning() {
    var form = document.querySelector("[data-area-limit]");
    if (!form) return;
    var limit = parseInt(form.getAttribute("data-area-limit"), 10);
    var checked = form.querySelectorAll("input[name=domain]:checked").length;
    var warning = document.getElementById("area-warning");
    if (warning) warning.hidden = checked <= limit;
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-area-limit] input[name=domain]")) updateAreaWarning();
  });
  document.addEventListener("DOMContentLoaded", updateAreaWarning);

  // Print buttons without inline script (the CSP forbids it).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
})();
