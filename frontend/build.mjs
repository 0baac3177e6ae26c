// Builds ../static/js/plotly-portal.min.js and copies plotly.js's stylesheet to
// ../static/css/plotly.css, from the pinned plotly.js (package-lock.json). Run `make plotly` from
// the project's root (npm ci, then this script); the output is committed, so neither the portal
// nor its tests need Node.
import { copyFileSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const plotly = JSON.parse(readFileSync('node_modules/plotly.js/package.json', 'utf8'));

await build({
    entryPoints: ['src/plotly-portal.js'],
    outfile: '../static/js/plotly-portal.min.js',
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    // The same settings as plotly.js's own build (its esbuild-config.js).
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    // registry.js imports maplibre-gl's stylesheet for the map traces, which the portal does not draw.
    loader: { '.css': 'empty' },
    legalComments: 'none',
    banner: {
        js: `/*! plotly.js v${plotly.version} (MIT licence, https://github.com/plotly/plotly.js): core, bar, ` +
            'scatterpolar and the French locale, built by frontend/build.mjs */'
    },
    logLevel: 'info'
});

// plotly.js injects these rules in a <style> element unless the page links them itself (see
// templates/includes/plotly.html): a stylesheet of our own keeps the pages free of inline styles.
copyFileSync('node_modules/plotly.js/dist/plotly.css', '../static/css/plotly.css');
