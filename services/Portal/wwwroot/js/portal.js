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

  // Live dashboard and inbox: the portal relays server-sent events (/tableau-de-bord/changements, /notifications/flux). The first event
  // tells the current state; a later one with another id means new facts: the indicator section is fetched again and
  // swapped in, and a polite notice says so. EventSource reconnects by itself.
  var live = null;

  function setNotice(notice, text) {
    notice.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    notice.appendChild(p);
    notice.classList.add("shown");
  }

  function refreshIndicators(notice) {
    var targetId = notice.dataset.liveTarget;
    if (live.refreshing) { live.again = true; return; }
    live.refreshing = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(targetId);
        var current = document.getElementById(targetId);
        if (fresh && current) current.innerHTML = fresh.innerHTML;
        var time = new Date().toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" });
        setNotice(notice, (notice.dataset.liveMessage || "Nouvelles données disponibles : indicateurs actualisés à ") + time + ".");
      })
      .catch(function () {
        setNotice(notice, "Nouvelles données disponibles : rechargez la page pour les voir.");
      })
      .then(function () {
        live.refreshing = false;
        if (live.again) { live.again = false; refreshIndicators(notice); }
      });
  }

  function startLive() {
    var notice = document.querySelector("[data-live-source]");
    if (live && (!notice || live.source !== notice.dataset.liveSource)) { live.events.close(); live = null; }
    if (!notice || live || !window.EventSource) return;
    live = { source: notice.dataset.liveSource, events: new EventSource(notice.dataset.liveSource), last: null, refreshing: false, again: false };
    live.events.addEventListener("changed", function (e) {
      var seen = live.last;
      live.last = e.lastEventId;
      notice.dataset.liveSeen = e.lastEventId;
      if (seen === null || seen === e.lastEventId) return;
      refreshIndicators(document.querySelector("[data-live-source]") || notice);
    });
  }

  // "Imprimer" buttons (the yearly report): the browser's print dialog, which also saves as PDF.
  function bindPrint() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      if (button.dataset.bound === "1") return;
      button.addEventListener("click", function () { window.print(); });
      button.dataset.bound = "1";
    });
  }

  function onLoad() { drawCharts(); bindPrint(); startLive(); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onLoad); else onLoad();
  // "Imprimer la fiche" (guide des aides): the browser's print dialog; the print stylesheet shows the sheet alone.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });

  if (window.Blazor && window.Blazor.addEventListener) window.Blazor.addEventListener("enhancedload", onLoad);
  else document.addEventListener("DOMContentLoaded", function () {
    if (window.Blazor && window.Blazor.addEventListener) window.Blazor.addEventListener("enhancedload", onLoad);
  });
})();
