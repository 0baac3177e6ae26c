// The plotly.js of the portal: its core (which always holds the scatter trace, the axes, shapes,
// annotations, legend and hover labels) with only the trace types the portal's figures use, and
// plotly.js's own French locale. The figures are defined in Python (reports/figures.py,
// portfolio/charts.py, surveys/charts.py): a new trace type there must be registered here too, taken from
// plotly.js's strict variant (lib/index-strict.js: a WebGL trace from its src/traces/<trace>/strict module),
// which build.mjs checks, so that the bundle runs under a Content-Security-Policy without 'unsafe-eval'.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/locales/fr')
]);

module.exports = Plotly;
