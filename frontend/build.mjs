// Builds ../static/js/plotly-portal.min.js and copies plotly.js's stylesheet to
// ../static/css/plotly.css, from the pinned plotly.js (package-lock.json). Run `make plotly` from
// the project's root (npm ci, then this script); the output is committed, so neither the portal
// nor its tests need Node.
import { copyFileSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const plotly = JSON.parse(readFileSync('node_modules/plotly.js/package.json', 'utf8'));
const OUTFILE = '../static/js/plotly-portal.min.js';

// plotly.js's strict variant (lib/index-strict.js, the source of dist/plotly-strict.js) is the one that
// needs neither eval nor new Function: it swaps the WebGL traces for their precompiled versions. Every
// module the portal's entry registers must be one that the strict variant registers.
const strict = readFileSync('node_modules/plotly.js/lib/index-strict.js', 'utf8');
const entry = readFileSync('src/plotly-portal.js', 'utf8');
for (const [, module] of entry.matchAll(/require\('plotly\.js\/((?:lib|src)\/[^']+)'\)/g)) {
    // As lib/index-strict.js names it: './bar' for lib/bar, '../src/traces/scattergl/strict' for src/….
    const fromStrict = module.startsWith('lib/') ? `./${module.slice(4)}` : `../${module}`;
    const inStrict = module === 'lib/core' || module.startsWith('lib/locales/') ||
        strict.includes(`require('${fromStrict}')`);
    if (!inStrict) {
        throw new Error(`plotly.js/${module} is not in plotly.js's strict variant (lib/index-strict.js)`);
    }
}

await build({
    entryPoints: ['src/plotly-portal.js'],
    outfile: OUTFILE,
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

// The Content-Security-Policy of the portal has no 'unsafe-eval': the bundle must not build code at run time.
const generated = readFileSync(OUTFILE, 'utf8').match(/\beval\(|new Function\(|\bFunction\(\s*['"]/);
if (generated) {
    throw new Error(`${OUTFILE} builds code at run time (${generated[0]}): the CSP would block it`);
}

// plotly.js injects these rules in a <style> element unless the page links them itself (see
// templates/includes/plotly.html): a stylesheet of our own keeps the pages free of inline styles.
copyFileSync('node_modules/plotly.js/dist/plotly.css', '../static/css/plotly.css');
