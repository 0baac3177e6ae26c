/* Draws each Plotly figure of the page: an element with data-figure="ID" gets the figure
   kept as JSON in <script id="ID" type="application/json">. The data table beside each
   chart stays the accessible version of its data; without JavaScript only the table shows. */
(function () {
  "use strict";
  var FRENCH = {
    moduleType: "locale",
    name: "fr",
    dictionary: {},
    format: {
      days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
      shortDays: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
      months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
               "octobre", "novembre", "décembre"],
      shortMonths: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                    "nov.", "déc."],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "\u202f"
    }
  };

  function draw() {
    if (!window.Plotly) { return; }
    window.Plotly.register(FRENCH);
    var locale = document.documentElement.lang === "fr" ? "fr" : "en";
    document.querySelectorAll("[data-figure]").forEach(function (target) {
      var source = document.getElementById(target.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(target, figure.data, figure.layout,
                            { displaylogo: false, responsive: true, locale: locale });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
