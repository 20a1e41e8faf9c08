// Score chart on the progress page (Chart.js, vendored). The same data is in a table for screen readers.
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  var canvas = document.getElementById("score-chart");
  if (!node || !canvas || !window.Chart) {
    return;
  }
  var data = JSON.parse(node.textContent);
  var dark = document.documentElement.getAttribute("data-bs-theme") === "dark";
  var text = dark ? "#dee2e6" : "#212529";
  var grid = dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.08)";
  var dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: data.timeZone });

  function xy(points) {
    return points.map(function (p) {
      return { x: p[0], y: p[1] };
    });
  }

  new window.Chart(canvas, {
    data: {
      datasets: [
        { type: "scatter", label: "Quiz score", data: xy(data.quiz), backgroundColor: "#0d6efd", pointRadius: 3 },
        { type: "scatter", label: "Interview score", data: xy(data.interview), backgroundColor: "#d63384", pointRadius: 3, pointStyle: "rectRot" },
        { type: "line", label: "Quiz, 7-day average", data: xy(data.quizAverage), borderColor: "#0d6efd", pointRadius: 0, tension: 0.25 },
        { type: "line", label: "Interview, 7-day average", data: xy(data.interviewAverage), borderColor: "#d63384", borderDash: [6, 4], pointRadius: 0, tension: 0.25 }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        // Whole days in the candidate's zone, one tick per day at local noon (the server computes them).
        x: {
          type: "linear",
          min: data.xMin,
          max: data.xMax,
          afterBuildTicks: function (axis) { axis.ticks = data.days.map(function (v) { return { value: v }; }); },
          ticks: { color: text, callback: function (v) { return dateFormat.format(new Date(v)); } },
          grid: { color: grid }
        },
        y: { min: 0, max: 100, ticks: { color: text, callback: function (v) { return v + "%"; } }, grid: { color: grid } }
      },
      plugins: {
        legend: { labels: { color: text } },
        tooltip: {
          callbacks: {
            title: function (items) { return items.length ? dateFormat.format(new Date(items[0].parsed.x)) : ""; },
            label: function (item) { return item.dataset.label + ": " + item.parsed.y + "%"; }
          }
        }
      }
    }
  });
})();
