/* Draws each Plotly figure of the page: an element with data-figure="ID" gets the figure
   kept as JSON in <script id="ID" type="application/json">. The data table beside each
   chart stays the accessible version of its data; without JavaScript only the table shows. */
(function () {
  "use strict";
  var FRENCH = {
    moduleType: "locale",
    name: "fr",
    dictionary: {
      "Download plot as a png": "Télécharger le graphique (PNG)",
      "Download plot": "Télécharger le graphique",
      "Zoom": "Zoom",
      "Pan": "Déplacer",
      "Zoom in": "Zoomer",
      "Zoom out": "Dézoomer",
      "Autoscale": "Échelle automatique",
      "Reset axes": "Réinitialiser les axes",
      "Reset views": "Réinitialiser la vue",
      "Box Select": "Sélection rectangulaire",
      "Lasso Select": "Sélection au lasso",
      "Toggle Spike Lines": "Lignes de repère",
      "Show closest data on hover": "Donnée la plus proche au survol",
      "Compare data on hover": "Comparer les données au survol",
      "Double-click to zoom back out": "Double-cliquez pour revenir",
      "Click to enter Colorscale title": "Cliquez pour saisir un titre"
    },
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
      // Nothing leaves the intranet: no link to Plotly's cloud, no "send data" button.
      window.Plotly.newPlot(target, figure.data, figure.layout, {
        displaylogo: false, responsive: true, locale: locale, showLink: false, showSendToCloud: false,
        showEditInChartStudio: false, modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio", "select2d", "lasso2d"]
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
