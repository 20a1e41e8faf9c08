// The review queue: Space shows the answer, 1-4 rate it, and the next card replaces this one without a full
// reload. Without this script the same page works with plain forms (details/summary and submit buttons).
(function () {
  "use strict";
  var region = document.getElementById("review-region");
  if (!region) {
    return;
  }

  function typing(element) {
    return element && (element.tagName === "TEXTAREA" || element.tagName === "INPUT" || element.isContentEditable);
  }

  function focusHeading() {
    var heading = region.querySelector("h2[tabindex]");
    if (heading) {
      heading.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var reveal = region.querySelector("details.review-reveal");
    if (!reveal) {
      return;
    }
    if (!reveal.open && (event.key === " " || (event.key === "Enter" && event.target.tagName !== "SUMMARY"))) {
      event.preventDefault();
      reveal.open = true;
      return;
    }
    if (reveal.open && /^[1-4]$/.test(event.key)) {
      var button = region.querySelector('button[name="rating"][value="' + event.key + '"]');
      if (button && !button.disabled) {
        event.preventDefault();
        button.click();
      }
    }
  });

  region.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("review-form") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) {
      button.disabled = true;
    });
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Review-Fragment": "1" },
    })
      .then(function (response) {
        return response.text().then(function (text) {
          return { ok: response.ok, status: response.status, text: text };
        });
      })
      .then(function (result) {
        if (result.ok) {
          region.innerHTML = result.text;
          focusHeading();
          return;
        }
        if (result.status === 400) {
          var status = document.getElementById("review-status");
          if (status) {
            status.classList.remove("visually-hidden");
            status.classList.add("alert", "alert-danger");
            status.textContent = result.text;
          }
          buttons.forEach(function (button) {
            button.disabled = false;
          });
          return;
        }
        throw new Error("HTTP " + result.status);
      })
      .catch(function () {
        // The network or the server failed: fall back to the plain form post.
        form.submit();
      });
  });
})();
