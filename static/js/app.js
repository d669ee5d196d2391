// Live "due in" countdowns: every <time data-due> is re-worded each 30 seconds in the page's language.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var format = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;

  function phrase(minutes) {
    var size = Math.abs(minutes);
    if (size < 90) return format.format(minutes, "minute");
    if (size < 48 * 60) return format.format(Math.round(minutes / 60), "hour");
    return format.format(Math.round(minutes / 1440), "day");
  }

  function tick() {
    if (!format) return;
    var now = Date.now();
    document.querySelectorAll("time[data-due]").forEach(function (node) {
      var minutes = Math.round((Date.parse(node.dataset.due) - now) / 60000);
      var overdue = minutes < 0;
      node.textContent = phrase(minutes) + (overdue ? " · " + node.dataset.overdueLabel : "");
      node.classList.toggle("overdue", overdue);
      node.classList.toggle("running", !overdue);
    });
  }

  // Controls that submit their form when changed (the header's language switcher); no inline handlers (CSP).
  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control.matches && control.matches("[data-submit-on-change]") && control.form) {
      control.form.requestSubmit();
    }
  });

  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  window.setInterval(tick, 30000);
})();
