/* Draws each Plotly figure of the page: an element with data-figure="ID" gets the figure kept as
   JSON in <script id="ID" type="application/json">. A chart is drawn when it comes near the
   viewport (at once where IntersectionObserver is missing), so a page of twenty charts draws the
   two on screen first. The data table beside each chart stays the accessible version of its data:
   the chart is hidden from screen readers, there is no toolbar, and without JavaScript only the
   table shows. No inline script or style, no eval: ready for a strict Content-Security-Policy. */
(function () {
  "use strict";
  // Plotly's own French locale is in the bundle (static/js/plotly-portal.min.js); English is built in.
  var LOCALES = { fr: "fr", en: "en" };
  var CONFIG = {
    displayModeBar: false, // its ~80 buttons per page were tab stops with English labels
    displaylogo: false,
    responsive: true,
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    doubleClick: false, // nothing to reset: zooming is off (below)
    scrollZoom: false
  };

  function pageLocale() {
    var lang = (document.documentElement.lang || "fr").toLowerCase().split("-")[0];
    return LOCALES[lang] || "fr";
  }

  function figureOf(target) {
    var source = document.getElementById(target.dataset.figure);
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(target, figure, locale) {
    // No dragging: a drag on a chart zoomed into it, and on a phone it held the page's scrolling.
    // No title inside the chart: the heading above it says it, and on a phone a long title was cut.
    var layout = Object.assign({}, figure.layout, { dragmode: false, title: { text: "" } });
    layout.margin = Object.assign({}, figure.layout.margin, { t: 40 });
    var config = Object.assign({ locale: locale }, CONFIG);
    window.Plotly.newPlot(target, figure.data, layout, config).then(function () {
      target.setAttribute("aria-hidden", "true"); // the table beside it says the same, readably
      if (target.dataset.links) { followLinks(target); }
      target.classList.add("chart-drawn");
    });
  }

  // A chart marked data-links opens the page of the point clicked (its customdata, a path of this site);
  // with the keyboard, the links of the table beside it lead to the same pages.
  function followLinks(target) {
    target.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && point.customdata;
      if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
        window.location.assign(url);
      }
    });
  }

  function start() {
    if (!window.Plotly) { return; }
    var locale = pageLocale();
    var pending = [];
    document.querySelectorAll("[data-figure]").forEach(function (target) {
      var figure = figureOf(target);
      if (!figure) { return; }
      // The chart's height is kept before it is drawn, so the page does not jump when it is.
      if (figure.layout && figure.layout.height) { target.style.minHeight = figure.layout.height + "px"; }
      pending.push({ target: target, figure: figure });
    });
    if (!("IntersectionObserver" in window)) {
      pending.forEach(function (item) { draw(item.target, item.figure, locale); });
      return;
    }
    var figures = new Map(pending.map(function (item) { return [item.target, item.figure]; }));
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        observer.unobserve(entry.target);
        draw(entry.target, figures.get(entry.target), locale);
      });
    }, { rootMargin: "200px 0px" }); // drawn just before it scrolls in
    pending.forEach(function (item) { observer.observe(item.target); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
