// Progressive enhancement only: every page works without this file. Draws the dashboard's charts with the vendored
// Chart.js (loaded on the pages that have a chart), after a full load and after Blazor's enhanced navigation.
(function () {
  "use strict";
  var chartLib = null;

  function loadChartJs() {
    if (window.Chart) return Promise.resolve(window.Chart);
    if (chartLib) return chartLib;
    chartLib = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = "/lib/chart.js/chart.umd.min.js";
      script.onload = function () { resolve(window.Chart); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return chartLib;
  }

  function drawCharts() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    if (canvases.length === 0) return;
    loadChartJs().then(function (Chart) {
      canvases.forEach(function (canvas) {
        if (canvas.dataset.drawn === "1") return;
        var source = document.getElementById(canvas.dataset.chart);
        if (!source) return;
        var config = JSON.parse(source.textContent);
        config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false, locale: "fr-FR" }, config.options || {});
        new Chart(canvas, config);
        canvas.dataset.drawn = "1";
      });
    }).catch(function () { /* the tables below the charts carry the same figures */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawCharts); else drawCharts();
  if (window.Blazor && window.Blazor.addEventListener) window.Blazor.addEventListener("enhancedload", drawCharts);
  else document.addEventListener("DOMContentLoaded", function () {
    if (window.Blazor && window.Blazor.addEventListener) window.Blazor.addEventListener("enhancedload", drawCharts);
  });
})();
