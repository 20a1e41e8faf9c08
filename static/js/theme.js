// Follow the system's light/dark setting (Bootstrap 5.3 colour modes). Loaded in <head> to avoid a flash.
(function () {
  "use strict";
  // Script runs: the phone menu can use Bootstrap's collapse (without script, .no-js shows its links).
  document.documentElement.classList.remove("no-js");
  var query = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", query.matches ? "dark" : "light");
  }
  apply();
  if (query.addEventListener) {
    query.addEventListener("change", apply);
  }
})();
