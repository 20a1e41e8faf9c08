// Sign-up: send the browser's time zone, so days and streaks are counted in the candidate's own time.
(function () {
  "use strict";
  var input = document.querySelector('input[name="time_zone"]');
  if (input && window.Intl && Intl.DateTimeFormat) {
    input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
})();
