// Quiz keyboard shortcuts: digits pick a choice, Enter submits. The form works without this script.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) {
    return;
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "radio"))) {
      return;
    }
    var radio = form.querySelector('input[type="radio"][data-key="' + event.key + '"]');
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
      return;
    }
    if (event.key === "Enter" && form.contains(target) && target.type === "radio") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
