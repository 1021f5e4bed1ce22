// Draws the lägesbild's Vega-Lite charts. The specs are JSON data blocks written by the
// server (<script type="application/json">), so no inline script runs. The page has a strict
// Content-Security-Policy without 'unsafe-eval': Vega parses expressions to an AST
// (ast: true) and vega-interpreter evaluates them, instead of compiling functions.
(function () {
  "use strict";
  if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
    return; // the tables below each chart carry the same figures
  }
  var lang = (document.documentElement.lang || "sv").slice(0, 2);
  var swedish = lang === "sv";
  var options = {
    actions: false,
    renderer: "svg",
    ast: true,
    expr: window.vega.expressionInterpreter,
    // No <style> elements are injected: styles come from situation.css (style-src 'self').
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true, theme: "trygg" },
    formatLocale: swedish
      ? { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] }
      : undefined,
    timeFormatLocale: swedish
      ? {
          dateTime: "%A %e %B %Y kl. %X",
          date: "%Y-%m-%d",
          time: "%H:%M:%S",
          periods: ["fm", "em"],
          days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
          shortDays: ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
          months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
            "september", "oktober", "november", "december"],
          shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
            "nov", "dec"]
        }
      : undefined
  };

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    window.vegaEmbed(element, spec, options).then(function (result) {
      element.classList.add("chart--drawn");
      // The container (role=img with a description) speaks for the chart.
      var svg = element.querySelector("svg");
      if (svg) {
        svg.setAttribute("aria-hidden", "true");
        svg.setAttribute("focusable", "false");
      }
      var fallback = element.querySelector(".chart__fallback");
      if (fallback) {
        fallback.remove();
      }
      // Redraw when the container changes width (phone rotated, window resized).
      if (window.ResizeObserver) {
        var width = element.clientWidth;
        new ResizeObserver(function () {
          if (Math.abs(element.clientWidth - width) > 8) {
            width = element.clientWidth;
            result.view.resize().runAsync();
          }
        }).observe(element);
      }
    }).catch(function (error) {
      element.classList.add("chart--failed");
      if (window.console) {
        window.console.warn("Chart could not be drawn:", error);
      }
    });
  }

  function start() {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i += 1) {
      draw(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
