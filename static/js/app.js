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

/* The session clock (sessions_app/active_time.py). A conversation can go on
   for minutes without a tap: while a session page is visible, not behind the
   idle lock, and used within the idle gap the server allows, tell the server
   every minute that the session goes on, and show the minutes it answers.
   A hidden, locked or untouched page sends nothing, so that time is not counted. */
(function () {
  "use strict";

  var lastInput = Date.now();

  function noteInput() { lastInput = Date.now(); }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var clock = document.querySelector("[data-session-clock]");
    if (!clock || !window.fetch) return;
    var url = clock.getAttribute("data-heartbeat-url");
    var gapMs = parseInt(clock.getAttribute("data-idle-gap-seconds"), 10) * 1000;
    if (!(gapMs > 0)) return;
    var text = clock.querySelector("[data-session-clock-text]");
    var label = clock.getAttribute("data-label") || "#";
    var timer = null;

    ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"].forEach(function (name) {
      document.addEventListener(name, noteInput, { passive: true, capture: true });
    });

    function beat() {
      if (document.visibilityState !== "visible") return;
      if (document.body.classList.contains("is-idle-locked")) return;
      if (Date.now() - lastInput > gapMs) return;
      window.fetch(url, {
        method: "POST",
        credentials: "same-origin",
        // A locked or handed-over tablet answers with a redirect: not followed.
        redirect: "manual",
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) return;
        if (typeof data.minutes === "number" && text) {
          text.textContent = label.replace("#", String(data.minutes));
        }
        if (!data.open) window.clearInterval(timer);
      }).catch(function () { /* offline: this minute may go uncounted */ });
    }

    timer = window.setInterval(beat, Math.min(60000, gapMs / 2));
  });
})();

// Date fields are drawn by the browser in its own locale, which may read
// 01/03/2027 month first. Under each one, the chosen day is written out in the
// page's language ("Sunday, 3 January 2027, 10:00"), so nobody misreads it.
(function () {
  var LOCALES = { cnr: "sr-Latn-ME", "sr-latn": "sr-Latn", en: "en-GB" };

  function spell(input) {
    var out = document.getElementById(input.id + "-spelled");
    if (!out) {
      out = document.createElement("div");
      out.id = input.id + "-spelled";
      out.className = "date-spelled";
      out.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", out);
    }
    if (!input.value) { out.textContent = ""; return; }
    var withTime = input.type === "datetime-local";
    // Read and written on UTC, so the typed wall time comes back unchanged.
    var text = input.value;
    if (!withTime) { text += "T00:00:00Z"; } else { text += text.length === 16 ? ":00Z" : "Z"; }
    var moment = new Date(text);
    if (isNaN(moment)) { out.textContent = ""; return; }
    var lang = document.documentElement.lang || "en";
    var options = { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
    if (withTime) { options.hour = "2-digit"; options.minute = "2-digit"; options.hourCycle = "h23"; }
    out.textContent = moment.toLocaleString(LOCALES[lang] || lang, options);
  }

  function spellAll(root) {
    root.querySelectorAll('input[type="date"][id], input[type="datetime-local"][id]').forEach(spell);
  }

  document.addEventListener("DOMContentLoaded", function () { spellAll(document); });
  document.addEventListener("htmx:load", function (event) { spellAll(event.target); });
  document.addEventListener("input", function (event) {
    var t = event.target;
    if (t.matches && t.matches('input[type="date"][id], input[type="datetime-local"][id]')) { spell(t); }
  });
})();

/* Text limits (dialogplus/text.py): under each field with data-text-limit,
   "120 / 500" as the person types, counted as characters are seen: an emoji,
   a flag or a letter with its accent is one, like on the server. The browser's
   maxlength is not used: it counts an emoji as two and cuts pasted text. Text
   over the limit is kept; the counter says by how much, the server refuses it. */
(function () {
  "use strict";

  var MARK = /\p{M}/u;

  function isFlagHalf(c) { return c >= 0x1f1e6 && c <= 0x1f1ff; }

  function joinsPrevious(ch, c) {
    return MARK.test(ch) || c === 0x200d || (c >= 0x1f3fb && c <= 0x1f3ff) ||
      (c >= 0xe0020 && c <= 0xe007f);
  }

  function visibleLength(text) {
    var count = 0;
    var previous = -1;
    var pendingFlag = false;
    for (var ch of text) {
      var c = ch.codePointAt(0);
      if (previous === 0x200d || joinsPrevious(ch, c)) {
        // drawn with the character before
      } else if (c === 0x0a && previous === 0x0d) {
        // a line break posted as \r\n is one character
      } else if (isFlagHalf(c) && pendingFlag) {
        pendingFlag = false;
      } else {
        count += 1;
        pendingFlag = isFlagHalf(c);
      }
      previous = c;
    }
    return count;
  }
  window.dialogplusVisibleLength = visibleLength;

  function counterFor(field) {
    var id = (field.id || field.name) + "-counter";
    var out = document.getElementById(id);
    if (!out) {
      out = document.createElement("div");
      out.id = id;
      out.className = "text-counter";
      field.insertAdjacentElement("afterend", out);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    return out;
  }

  function update(field) {
    var limit = parseInt(field.getAttribute("data-text-limit"), 10);
    if (!(limit > 0)) return;
    var count = visibleLength(field.value);
    var out = counterFor(field);
    var over = count - limit;
    if (over > 0) {
      out.textContent = (field.getAttribute("data-text-over") || "%(count)s / %(limit)s")
        .replace("%(count)s", count).replace("%(limit)s", limit).replace("%(over)s", over);
      out.classList.add("is-over");
      out.setAttribute("role", "alert");
    } else {
      out.textContent = count + " / " + limit;
      out.classList.remove("is-over");
      out.removeAttribute("role");
    }
  }

  function updateAll(root) {
    if (root.matches && root.matches("[data-text-limit]")) update(root);
    root.querySelectorAll("[data-text-limit]").forEach(update);
  }

  document.addEventListener("DOMContentLoaded", function () { updateAll(document); });
  document.addEventListener("htmx:load", function (event) { updateAll(event.target); });

  // An autosave refused by the server (data-text-refused in its status): the
  // text stays in the box, less the invisible control characters the message
  // says cannot be saved, so the person's next change saves it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.id || !target.querySelector("[data-text-refused]")) return;
    var field = document.querySelector('[data-status="' + target.id + '"]');
    if (!field) return;
    field.value = field.value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
    update(field);
  });
  document.addEventListener("input", function (event) {
    var t = event.target;
    if (t.matches && t.matches("[data-text-limit]")) update(t);
  });
})();
