// An inline formula wider than its line scrolls sideways (static/css/rendered.css); make exactly those
// focusable, so that a keyboard can scroll them too, without a tab stop on every formula that fits.
(function () {
  "use strict";
  var timer = null;

  function update() {
    var formulas = document.querySelectorAll('math:not([display="block"])');
    for (var i = 0; i < formulas.length; i++) {
      var formula = formulas[i];
      if (formula.scrollWidth > formula.clientWidth) {
        formula.setAttribute("tabindex", "0");
      } else {
        formula.removeAttribute("tabindex");
      }
    }
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 100);
  }

  update();
  window.addEventListener("resize", later);
  // A model answer is hidden in <details> until revealed: its formulas have no width before that.
  document.addEventListener("toggle", update, true);
  // A page that swaps in new content (the quiz's next question) says so.
  document.addEventListener("content:replaced", update);
})();
