// Quiz page: keyboard shortcuts (digits pick a choice, Enter submits), and one request per answer: the answer
// is posted with fetch and the response is the next page's body (the feedback or the next question), swapped in
// with the address bar set to that page's own address, so a reload or a bookmark shows the same page. The form
// works without this script (post/redirect/get).
(function () {
  "use strict";
  var body = document.getElementById("quiz-body");
  if (!body) {
    return;
  }
  var header = body.getAttribute("data-fragment-header");
  var sending = false;

  function form() {
    return document.getElementById("quiz-form");
  }

  function show(html, response) {
    body.innerHTML = html;
    history.replaceState(null, "", response.headers.get("X-Quiz-Url"));
    document.title = response.headers.get("X-Quiz-Title") || document.title;
    document.dispatchEvent(new CustomEvent("content:replaced", { detail: { root: body } }));
    var target = body.querySelector("[autofocus]") || document.getElementById("quiz-position");
    if (target) {
      target.focus();
    }
  }

  body.addEventListener("submit", function (event) {
    var quiz = event.target;
    if (quiz.id !== "quiz-form" || !window.fetch) {
      return;
    }
    event.preventDefault();
    if (sending) {
      return; // a double click or Enter held down: the first submit is on its way
    }
    sending = true;
    var headers = {};
    headers[header] = "1";
    fetch(quiz.action, { method: "POST", body: new FormData(quiz), headers: headers, credentials: "same-origin" })
      .then(function (response) {
        var next = response.headers.get("X-Quiz-Redirect");
        if (next) {
          window.location.assign(next);
          return null;
        }
        if (!response.headers.get("X-Quiz-Url")) {
          throw new Error("not a quiz page");
        }
        return response.text().then(function (html) {
          show(html, response);
        });
      })
      .catch(function () {
        // Signed out, offline or anything unexpected: the browser posts the form itself and shows the outcome
        // (a second copy of a stored answer changes nothing).
        quiz.submit();
      })
      .finally(function () {
        sending = false;
      });
  });

  document.addEventListener("keydown", function (event) {
    var quiz = form();
    if (!quiz || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "radio"))) {
      return;
    }
    var radio = quiz.querySelector('input[type="radio"][data-key="' + event.key + '"]');
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
      return;
    }
    if (event.key === "Enter" && quiz.contains(target) && target.type === "radio") {
      event.preventDefault();
      quiz.requestSubmit();
    }
  });
})();
