// Shows a <time data-local-time> in the browser's own time zone (the server writes it in UTC).
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) return;
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    el.textContent = new Intl.DateTimeFormat(undefined, {
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }).format(when);
  });
})();
