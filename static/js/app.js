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

/* Shared tablets: after the idle period without input, hide the page behind a
   lock panel so patient data is not left on screen. Nothing navigates by
   itself: what was typed stays in the hidden page. The server locks the
   session on its own clock too (accounts.session_lock). */
(function () {
  "use strict";

  var cover = null;
  var limitMs = 0;
  var lastInput = Date.now();

  function coverPage() {
    if (!cover || !cover.hidden) return;
    document.body.classList.add("is-idle-locked");
    cover.hidden = false;
    var button = cover.querySelector("button");
    if (button) button.focus();
  }

  function check() {
    if (cover && Date.now() - lastInput >= limitMs) coverPage();
  }

  function noteInput() {
    if (cover && cover.hidden) lastInput = Date.now();
  }

  document.addEventListener("DOMContentLoaded", function () {
    cover = document.getElementById("idle-cover");
    if (!cover) return;
    limitMs = parseInt(cover.getAttribute("data-idle-lock-seconds"), 10) * 1000;
    if (!(limitMs > 0)) { cover = null; return; }
    ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (name) {
      document.addEventListener(name, noteInput, { passive: true, capture: true });
    });
    // Timers sleep with the tablet: compare clocks often, and on waking up.
    window.setInterval(check, 5000);
    document.addEventListener("visibilitychange", check);
    window.addEventListener("pageshow", check);
  });
})();
