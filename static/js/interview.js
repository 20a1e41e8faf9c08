// Mock interview: countdown to the server's deadline, autosave of every answer, submit at zero.
// The page works without this script: "Save answers" and "Finish interview" are plain form posts.
//
// Nothing typed is lost without the candidate being told on screen:
// - every box is copied to localStorage on each keystroke and dropped only once the server confirms that text;
// - a save names the revision this tab last saw; the server refuses it (409 "conflict") when another tab or
//   device stored a newer one, and the box then keeps this tab's text and offers to load or overwrite;
// - an answer that is not JSON (a login page after the session expired, an error page) stops the saves of that
//   box with a message, until the candidate types again or comes back to this tab;
// - Finish and the submit at 00:00 post the text of every box, whatever the autosave has sent.
(function () {
  "use strict";
  var STORE_PREFIX = "interviewprep:interview:";

  function storageKey(attempt, position) {
    return STORE_PREFIX + attempt + ":" + position;
  }

  function storeGet(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function storeSet(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Storage full or disabled: the box itself still holds the text.
    }
  }

  function storeDrop(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      // Nothing to do.
    }
  }

  // The review: the interview is over and the server has kept (or shown) every box, so forget the copies.
  var review = document.getElementById("interview-review");
  if (review) {
    try {
      var prefix = STORE_PREFIX + review.dataset.attempt + ":";
      for (var i = window.localStorage.length - 1; i >= 0; i -= 1) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) {
          window.localStorage.removeItem(key);
        }
      }
    } catch (e) {
      // Storage disabled: nothing was kept.
    }
    return;
  }

  var dataNode = document.getElementById("interview-data");
  var form = document.getElementById("interview-form");
  if (!dataNode || !form) {
    return;
  }
  var data = JSON.parse(dataNode.textContent);

  // Restored from the back-forward cache (Back after finishing): ask the server, which sends a finished
  // interview to its review, instead of showing a stale live page.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      window.location.replace(data.pageUrl);
    }
  });

  var deadline = Date.parse(data.deadline);
  var limitSeconds = Math.round((deadline - Date.parse(data.startedAt)) / 1000);
  // Trust the server's clock: measure how far this device's clock is from it.
  var offset = Date.parse(data.serverNow) - Date.now();
  var timer = document.getElementById("timer");
  var announce = document.getElementById("timer-announce");
  var warning = document.getElementById("timer-warning");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var finishButton = document.getElementById("finish-button");
  var tabId = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
  document.getElementById("tab-id").value = tabId;
  var ended = false;
  var byClock = false;
  var shownWarning = "";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function format(seconds) {
    return pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
  }

  // The warning that is true now: five minutes (only when the limit is longer than that), for one minute;
  // one minute, until the end. A warning whose moment has passed is cleared.
  function currentWarning(left) {
    if (left > 0 && left <= 60) {
      return "One minute left.";
    }
    if (limitSeconds > 300 && left > 240 && left <= 300) {
      return "Five minutes left.";
    }
    return "";
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - (Date.now() + offset)) / 1000));
    timer.textContent = format(left);
    // Colour by time left: amber in the last five minutes (of a longer interview), red in the last minute.
    timer.classList.toggle("text-danger-emphasis", left <= 60);
    timer.classList.toggle("text-warning-emphasis", left > 60 && left <= 300 && limitSeconds > 300);
    var text = currentWarning(left);
    if (text !== shownWarning) {
      shownWarning = text;
      warning.textContent = text;
      warning.classList.toggle("d-none", !text);
      if (text) {
        announce.textContent = text;
      }
    }
    if (left === 0 && !ended) {
      announce.textContent = "Time is up. Submitting your answers.";
      submitFinish(true);
    }
  }

  // ---- autosave
  var boxes = Array.prototype.slice.call(form.querySelectorAll("textarea[data-position]"));
  var byPosition = {};
  var state = {};

  function setState(position, text) {
    document.getElementById("state-" + position).textContent = text;
  }

  function setRevision(position, revision) {
    state[position].base = revision;
    form.querySelector('[data-revision-for="' + position + '"]').value = String(revision);
  }

  function remember(position) {
    var box = byPosition[position];
    storeSet(storageKey(data.attempt, position), { text: box.value, revision: state[position].base });
  }

  function confirmed(position, text) {
    var s = state[position];
    s.acked = text;
    if (byPosition[position].value === text) {
      storeDrop(storageKey(data.attempt, position));
    }
  }

  function showConflict(position, revision, text) {
    var s = state[position];
    s.conflict = { revision: revision, text: text };
    document.getElementById("newer-" + position).textContent = text;
    document.getElementById("conflict-" + position).hidden = false;
    setState(position, "Not saved: this answer was changed in another tab or device.");
  }

  function clearConflict(position) {
    state[position].conflict = null;
    document.getElementById("conflict-" + position).hidden = true;
  }

  function stop(position, message) {
    // No retry loop: the next keystroke, or coming back to this tab, tries again.
    state[position].stopped = true;
    setState(position, message);
  }

  function schedule(position, delay) {
    var s = state[position];
    window.clearTimeout(s.timer);
    s.timer = window.setTimeout(function () {
      save(position);
    }, delay);
  }

  function isJson(response) {
    var type = response.headers.get("Content-Type") || "";
    return !response.redirected && type.indexOf("application/json") !== -1;
  }

  // After signing in again (in another tab) the session and its CSRF token are new: fetch this page once to
  // read the new token (for the saves and for this page's own form), then send what is waiting.
  var signedOut = false;
  var refreshing = false;

  function refreshSession() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    fetch(data.pageUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected && response.url.indexOf(data.reviewUrl) !== -1) {
          submitFinish(true); // it ended meanwhile: the finish says which text could not be stored
          return null;
        }
        if (!response.ok || response.redirected) {
          return null; // still signed out
        }
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var token = page.querySelector("#interview-form input[name=csrfmiddlewaretoken]");
          if (token) {
            csrf = token.value;
            form.querySelector("input[name=csrfmiddlewaretoken]").value = csrf;
            signedOut = false;
          }
        });
      })
      .catch(function () {
        return null;
      })
      .then(function () {
        refreshing = false;
        if (!signedOut) {
          retryStopped();
        }
      });
  }

  function save(position) {
    var box = byPosition[position];
    var s = state[position];
    if (s.inFlight || s.conflict || ended) {
      return;
    }
    if (signedOut) {
      s.stopped = true;
      refreshSession();
      return;
    }
    if (box.value === s.acked) {
      setState(position, "Saved");
      storeDrop(storageKey(data.attempt, position));
      return;
    }
    var text = box.value;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("position", position);
    body.append("text", text);
    body.append("revision", String(s.base));
    body.append("tab", tabId);
    s.inFlight = true;
    s.stopped = false;
    setState(position, "Saving...");
    fetch(data.saveUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (response) {
        if (!isJson(response)) {
          s.inFlight = false;
          if (response.redirected || response.status === 401 || response.status === 403) {
            signedOut = true;
            stop(position, "You were signed out: sign in again in another tab; your text is kept here.");
          } else {
            stop(position, "Not saved: the server did not answer as expected. Your text is kept here; " +
              "it is sent again when you type.");
          }
          return null;
        }
        return response.json().then(function (json) {
          s.inFlight = false;
          s.retries = 0;
          handle(position, text, response.status, json);
        });
      })
      .catch(function () {
        s.inFlight = false;
        s.retries += 1;
        if (s.retries > 5) {
          stop(position, "Not saved: no connection. Your text is kept here and in this browser; " +
            "it is sent when you type again or the connection returns.");
          return;
        }
        setState(position, "Not saved: no connection, retrying");
        schedule(position, Math.min(10000, 1000 * Math.pow(2, s.retries)));
      });
  }

  function handle(position, text, status, json) {
    var box = byPosition[position];
    if (status === 200 && json.ok) {
      setRevision(position, json.revision);
      confirmed(position, text);
      if (box.value !== text) {
        save(position);
      } else {
        setState(position, "Saved");
      }
    } else if (status === 409 && json.conflict) {
      showConflict(position, json.revision, json.text);
    } else if (status === 409 && json.ended) {
      // Time is up on the server: finish from here, so the review says which text was not stored.
      setState(position, "Not saved: " + json.error);
      submitFinish(true);
    } else {
      stop(position, "Not saved: " + (json.error || "please check your answer."));
    }
  }

  function retryStopped() {
    if (signedOut) {
      if (boxes.some(function (box) { return state[box.dataset.position].stopped; })) {
        refreshSession();
      }
      return;
    }
    boxes.forEach(function (box) {
      var position = box.dataset.position;
      if (state[position].stopped) {
        save(position);
      }
    });
  }

  boxes.forEach(function (box) {
    var position = box.dataset.position;
    byPosition[position] = box;
    var revision = parseInt(box.dataset.revision, 10) || 0;
    state[position] = {
      base: revision,
      acked: box.dataset.unsaved ? null : box.value,
      inFlight: false,
      retries: 0,
      stopped: false,
      timer: null,
      conflict: null,
    };
    var conflictNode = document.getElementById("conflict-" + position);
    if (!conflictNode.hidden) {
      // Back from a "Save answers" that met a newer text: the choice is still the candidate's to make.
      // Until then a finish sends revision 0, so it cannot overwrite the newer text without that choice.
      state[position].conflict = { revision: revision, text: document.getElementById("newer-" + position).textContent };
      setRevision(position, 0);
    }
    // A copy this browser kept but the server never confirmed (a crash, a closed tab, a lost connection).
    var kept = storeGet(storageKey(data.attempt, position));
    if (kept && kept.text !== box.value && !state[position].conflict) {
      if (kept.revision === revision) {
        box.value = kept.text;
        setState(position, "Restored text that was not saved yet; saving it now.");
        schedule(position, 0);
      } else {
        var newer = box.value;
        box.value = kept.text;
        showConflict(position, revision, newer);
      }
    } else if (kept && kept.text === box.value && !box.dataset.unsaved) {
      storeDrop(storageKey(data.attempt, position));
    } else if (box.dataset.unsaved && !state[position].conflict) {
      schedule(position, 0); // back from a refused post with text the server does not have yet
    }
    box.addEventListener("input", function () {
      var s = state[position];
      remember(position);
      if (s.conflict) {
        return; // the candidate chooses first: load the newer text or overwrite it
      }
      setState(position, "Not saved yet");
      schedule(position, 1000);
    });
    box.addEventListener("blur", function () {
      if (!state[position].conflict) {
        window.clearTimeout(state[position].timer);
        save(position);
      }
    });
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-conflict-action]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var position = button.dataset.for;
    var s = state[position];
    if (!s.conflict) {
      return;
    }
    var box = byPosition[position];
    var newer = s.conflict;
    clearConflict(position);
    setRevision(position, newer.revision);
    if (button.dataset.conflictAction === "load") {
      box.value = newer.text;
      confirmed(position, newer.text);
      setState(position, "Loaded the newer text.");
    } else {
      remember(position);
      save(position);
    }
    box.focus();
  });

  window.addEventListener("online", retryStopped);
  window.addEventListener("focus", retryStopped);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      retryStopped();
    }
  });

  window.addEventListener("beforeunload", function () {
    if (ended || !navigator.sendBeacon) {
      return;
    }
    boxes.forEach(function (box) {
      var position = box.dataset.position;
      var s = state[position];
      if (box.value !== s.acked && !s.conflict) {
        var body = new FormData();
        body.append("csrfmiddlewaretoken", csrf);
        body.append("position", position);
        body.append("text", box.value);
        body.append("revision", String(s.base));
        body.append("tab", tabId);
        navigator.sendBeacon(data.saveUrl, body);
      }
    });
  });

  function submitFinish(clock) {
    if (ended) {
      return;
    }
    byClock = clock;
    document.getElementById("clock-flag").value = clock ? "1" : "";
    form.requestSubmit(finishButton);
  }

  form.addEventListener("submit", function (event) {
    var finishing = event.submitter === finishButton;
    if (finishing && !byClock) {
      var open = boxes.filter(function (box) {
        return state[box.dataset.position].conflict;
      });
      if (open.length) {
        // Before the time is up, a finish waits for the candidate's choice rather than dropping a text.
        event.preventDefault();
        var position = open[0].dataset.position;
        announce.textContent = "Question " + position + " was changed in another tab or device: " +
          "load the newer text or keep yours before finishing.";
        document.getElementById("conflict-" + position).scrollIntoView();
        open[0].focus();
        return;
      }
    }
    ended = true;
    boxes.forEach(function (box) {
      window.clearTimeout(state[box.dataset.position].timer);
    });
  });

  tick();
  window.setInterval(tick, 1000);
})();
