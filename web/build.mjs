// Builds the console into dist/: src/main.js and what it imports bundled and
// minified by esbuild into one app.js, beside index.html and style.css. The
// Makefile runs it and scripts/embed_console.py compiles dist/ into genuine.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { feature } from 'topojson-client';

// The dashboard's world map: Natural Earth's countries (world-atlas, 1:110m)
// as GeoJSON, each named by its ISO 3166 alpha-2 code (from Debian's
// iso-codes: world-atlas names them by their numeric code), the form the
// API gives countries in. Made here, bundled: no request leaves the machine.
const ISO = '/usr/share/iso-codes/json/iso_3166-1.json';
const world = {
  name: 'world',
  setup(b) {
    b.onResolve({ filter: /^virtual:world$/ }, () => ({ path: 'world', namespace: 'world' }));
    b.onLoad({ filter: /.*/, namespace: 'world' }, () => {
      let iso;
      try { iso = JSON.parse(readFileSync(ISO, 'utf8'))['3166-1']; } catch (err) {
        throw new Error(`${ISO}: ${err.message} (Debian's iso-codes: run scripts/install-deps.sh)`);
      }
      const alpha2 = Object.fromEntries(iso.map((c) => [c.numeric, c.alpha_2]));
      const topo = JSON.parse(readFileSync('node_modules/world-atlas/countries-110m.json', 'utf8'));
      const geo = feature(topo, topo.objects.countries);
      const round = (c) => (typeof c[0] === 'number' ? [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100] : c.map(round));
      geo.features = geo.features.filter((f) => alpha2[f.id]).map((f) => ({
        type: 'Feature',
        properties: { name: alpha2[f.id], title: f.properties.name },
        geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
      }));
      return { contents: JSON.stringify(geo), loader: 'json' };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outfile: 'dist/app.js',
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [world],
});
copyFileSync('src/index.html', 'dist/index.html');
copyFileSync('src/style.css', 'dist/style.css');
