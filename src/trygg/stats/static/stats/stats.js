// Charts of the stats pages: each .chart[data-spec-url] gets its Vega-Lite spec from the
// server and is drawn with vega-embed. The strict CSP forbids eval, so the spec's
// expressions are parsed to an AST and run by vega-interpreter.
(function () {
  "use strict";

  function swedishLocale() {
    return {
      number: { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] },
      time: {
        dateTime: "%A %e %B %Y %X", date: "%Y-%m-%d", time: "%H:%M:%S",
        periods: ["fm", "em"],
        days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        shortDays: ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"],
        shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
          "nov", "dec"]
      }
    };
  }

  function draw(element) {
    var url = element.getAttribute("data-spec-url");
    if (!url || typeof window.vegaEmbed !== "function") {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (spec) {
        if (!spec.data || !spec.data.values || spec.data.values.length === 0) {
          element.classList.add("chart--empty");
          return null;
        }
        var options = { actions: false, renderer: "svg", ast: true };
        if (window.vega && window.vega.expressionInterpreter) {
          options.expr = window.vega.expressionInterpreter;
        }
        if (document.documentElement.lang === "sv") {
          var locale = swedishLocale();
          options.formatLocale = locale.number;
          options.timeFormatLocale = locale.time;
        }
        return window.vegaEmbed(element, spec, options);
      })
      .catch(function () {
        element.classList.add("chart--failed");
      });
  }

  function init() {
    var charts = document.querySelectorAll(".chart[data-spec-url]");
    for (var i = 0; i < charts.length; i++) {
      draw(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
