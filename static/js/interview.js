// Mock interview: countdown to the server's deadline, autosave of every answer, submit at zero.
// The page works without this script: "Save answers" and "Finish interview" are plain form posts.
(function () {
  "use strict";
  var dataNode = document.getElementById("interview-data");
  var form = document.getElementById("interview-form");
  if (!dataNode || !form) {
    return;
  }
  var data = JSON.parse(dataNode.textContent);
  var deadline = Date.parse(data.deadline);
  // Trust the server's clock: measure how far this device's clock is from it.
  var offset = Date.parse(data.serverNow) - Date.now();
  var timer = document.getElementById("timer");
  var announce = document.getElementById("timer-announce");
  var warning = document.getElementById("timer-warning");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var finishButton = document.getElementById("finish-button");
  var ended = false;
  var warned = {};

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function format(seconds) {
    return pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
  }

  function warn(key, text) {
    if (warned[key]) {
      return;
    }
    warned[key] = true;
    announce.textContent = text;
    warning.textContent = text;
    warning.classList.remove("d-none");
    timer.classList.add("text-danger-emphasis");
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - (Date.now() + offset)) / 1000));
    timer.textContent = format(left);
    if (left <= 60 && left > 0) {
      warn("one", "One minute left.");
    } else if (left <= 300 && left > 60) {
      warn("five", "Five minutes left.");
    }
    if (left === 0 && !ended) {
      ended = true;
      announce.textContent = "Time is up. Submitting your answers.";
      form.requestSubmit(finishButton);
    }
  }

  // ---- autosave
  var boxes = Array.prototype.slice.call(form.querySelectorAll("textarea[data-position]"));
  var state = {};

  function setState(position, text) {
    document.getElementById("state-" + position).textContent = text;
  }

  function save(box) {
    var position = box.dataset.position;
    var s = state[position];
    if (s.inFlight || s.typed <= s.acked || ended) {
      return;
    }
    var revision = s.typed;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("position", position);
    body.append("text", box.value);
    body.append("revision", String(revision));
    s.inFlight = true;
    setState(position, "Saving...");
    fetch(data.saveUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (response) {
        return response.json().then(function (json) {
          return { status: response.status, json: json };
        });
      })
      .then(function (result) {
        s.inFlight = false;
        if (result.status === 200 && result.json.ok) {
          s.acked = Math.max(s.acked, revision);
          form.querySelector('[data-revision-for="' + position + '"]').value = String(s.acked);
          s.retries = 0;
          if (s.typed > s.acked) {
            save(box);
          } else {
            setState(position, "Saved");
          }
        } else if (result.status === 409) {
          ended = true;
          setState(position, "Not saved: " + result.json.error);
          window.location.assign(data.reviewUrl);
        } else {
          setState(position, "Not saved: " + (result.json.error || "please check your answer"));
        }
      })
      .catch(function () {
        s.inFlight = false;
        s.retries += 1;
        setState(position, "Not saved: retrying");
        window.setTimeout(function () {
          save(box);
        }, Math.min(10000, 1000 * Math.pow(2, s.retries)));
      });
  }

  boxes.forEach(function (box) {
    var position = box.dataset.position;
    var initial = parseInt(box.dataset.revision, 10) || 0;
    state[position] = { typed: initial, acked: initial, inFlight: false, retries: 0, timer: null };
    box.addEventListener("input", function () {
      var s = state[position];
      // The revision is the time of the edit, so an older save arriving late never wins.
      s.typed = Math.max(Date.now() + offset, s.typed + 1);
      setState(position, "Not saved yet");
      window.clearTimeout(s.timer);
      s.timer = window.setTimeout(function () {
        save(box);
      }, 1000);
    });
    box.addEventListener("blur", function () {
      window.clearTimeout(state[position].timer);
      save(box);
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var pending = boxes.some(function (box) {
      var s = state[box.dataset.position];
      return s.typed > s.acked;
    });
    if (pending && !ended) {
      boxes.forEach(function (box) {
        var s = state[box.dataset.position];
        if (s.typed > s.acked && navigator.sendBeacon) {
          var body = new FormData();
          body.append("csrfmiddlewaretoken", csrf);
          body.append("position", box.dataset.position);
          body.append("text", box.value);
          body.append("revision", String(s.typed));
          navigator.sendBeacon(data.saveUrl, body);
        }
      });
    }
  });

  form.addEventListener("submit", function () {
    ended = true;
  });

  tick();
  window.setInterval(tick, 1000);
})();
