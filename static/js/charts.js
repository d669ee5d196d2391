// The SLA audit's charts: every <canvas data-chart> is drawn with the vendored Chart.js (static/vendor/chartjs)
// from the JSON the server put in the attribute (staff/charts.py). Values are written in the page's language.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function withUnit(value, unit) {
    return number.format(value) + (unit ? " " + unit : "");
  }

  function draw(canvas) {
    var spec = JSON.parse(canvas.dataset.chart);
    var figure = canvas.closest("figure");
    // Shown from now on: the canvas takes the place of the table, which stays for screen readers only.
    figure.classList.add("charted");
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + withUnit(item.parsed.y, spec.unit);
              },
            },
          },
        },
        scales: {
          x: { title: { display: true, text: figure.dataset.weekAxis || "" } },
          y: {
            beginAtZero: true,
            title: { display: true, text: spec.axis },
            ticks: { callback: function (value) { return withUnit(value, spec.unit); } },
          },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
