// The question form's preview: posts the form (with its CSRF token) to the staff-only preview view and shows
// the HTML it returns, which the server has sanitised. Once shown, it follows the edits (debounced).
(function () {
  "use strict";

  function start() {
    var module = document.getElementById("render-preview-module");
    var button = document.getElementById("render-preview-button");
    var pane = document.getElementById("render-preview");
    var form = module && module.closest("form");
    if (!module || !button || !pane || !form || !window.fetch) {
      return;
    }
    module.hidden = false;
    var live = false;
    var timer = null;
    var pending = null;

    function refresh() {
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (typeof value === "string") {
          body.append(key, value);
        }
      });
      pane.setAttribute("aria-busy", "true");
      fetch(button.dataset.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        signal: pending.signal,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("The preview failed (" + response.status + ").");
          }
          return response.text();
        })
        .then(function (html) {
          pane.innerHTML = html; // sanitised by the server (nh3), like every rendered answer
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            pane.textContent = error.message;
          }
        })
        .finally(function () {
          pane.removeAttribute("aria-busy");
        });
    }

    button.addEventListener("click", function () {
      live = true;
      refresh();
    });
    form.addEventListener("input", function (event) {
      var name = event.target.name || "";
      if (live && (name === "answer" || /^choices-\d+-/.test(name))) {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, 500);
      }
    });
    form.addEventListener("change", function (event) {
      if (live && /^choices-\d+-(is_correct|DELETE)$/.test(event.target.name || "")) {
        refresh();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
