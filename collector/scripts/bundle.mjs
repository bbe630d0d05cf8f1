// Bundles the compiled CLI (dist/cli/main.js, from `tsc -b`) into dist/bundle/: one minified ES module for what
// every run loads, and chunks for what loads lazily (the demo, OTLP exporters, sources' clients). The agent runs
// from here: ~850 module files cost the idle agent 6–7 MB of peak RSS and a third of its startup CPU
// (docs/performance.md). Packages with native parts or data files of their own stay external, resolved from
// node_modules at run time.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

await build({
  // The demo supervisor forks `./node-process.js` beside its own module: an entry of its own keeps that name.
  entryPoints: { 'hmx-collector': `${dist}cli/main.js`, 'node-process': `${dist}demo/node-process.js` },
  outdir: `${dist}bundle`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The ES module builds where a package has both (its `module` field): mixing an OpenTelemetry package's CommonJS
  // build with its dependencies' ES builds left the OTLP exporters' classes undefined.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  external: ['@kubernetes/client-node', '@cosmjs/*', '@akashnetwork/*', 'systeminformation'],
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __hmxRequire } from 'node:module'; const require = __hmxRequire(import.meta.url);" },
});
