// npm test: install what the tests need (npm deps, Prometheus, node_exporter, Chromium, the ocb-built OTel Collector),
// type-check, run the panel's jest suite, then every node:test file. Arguments filter test files by substring.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureNpm, root, run } from './ensure-deps.mjs';

const filters = process.argv.slice(2);
// Where node:test files live, each folder with its own tsconfig: the workspace packages', the collector's, the
// cross-package tests (the panel's browser tests are added below).
const testDirs = ['contract/test', 'sdk/test', 'collector/test', 'test'];
ensureNpm();
run('bash', ['scripts/setup/test-deps.sh']);
// Type-check everything (sources, tests, benchmarks) before running anything.
// `npm run build`: tsc -b, then the collector's bundle (what its command runs; test/stack/shipped-agent.test.ts).
run('npm', ['run', 'build', '--silent']);
for (const dir of testDirs) run('npx', ['tsc', '-p', dir]);
// Lint (eslint over the collector, tests, stack and scripts; the panel's own config below) on full runs.
if (filters.length === 0) run('npm', ['run', 'lint', '--silent']);

const plugin = join(root, 'grafana-plugin');
const hasPlugin = existsSync(join(plugin, 'package.json'));
if (hasPlugin) {
  ensureNpm(plugin, 'grafana-plugin');
  // dist/ and the browser host page are what the browser tests (run below with the rest) load.
  run('npm', ['run', 'build', '--silent'], { cwd: plugin });
  run('npm', ['run', 'build:host', '--silent'], { cwd: plugin });
  // the same host on React 19 and the newest @grafana/* (Grafana 13.2+), for react19.browser.test.mjs
  ensureNpm(join(plugin, 'test-browser', 'react19'), 'React 19 host');
  run('npm', ['run', 'build:host:react19', '--silent'], { cwd: plugin });
  if (filters.length === 0) {
    run('npm', ['run', 'typecheck', '--silent'], { cwd: plugin });
    run('npm', ['run', 'lint', '--silent'], { cwd: plugin });
    run('npm', ['test', '--silent'], { cwd: plugin });
  }
}

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'artifacts') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (/\.test\.(ts|mjs)$/.test(name)) out.push(relative(root, path));
  }
  return out;
}

const files = [...testDirs, 'grafana-plugin/test-browser']
  .flatMap((dir) => find(join(root, dir)))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(', ')}`);
  process.exit(1);
}
const nodeTest = ['--import', 'tsx', '--test', '--test-reporter=spec'];

// A date bomb must fail the day it is written: the suites whose code keeps time windows (retention, rotation,
// shipping, world-model windows, ghosts, retries, watch timeouts, probe thresholds) run again with the whole clock
// 400 days ahead (Debian's faketime, installed by test-deps.sh). Both runs must pass.
const clockSensitive = [
  'collector/test/recorder/',
  'collector/test/sources/observer/',
  'collector/test/topology/',
  'collector/test/core/',
  'collector/test/sources/kubernetes/',
  'collector/test/sources/harmonix/',
];
const shifted = files.filter((f) => clockSensitive.some((dir) => f.startsWith(dir)));
if (shifted.length > 0) {
  console.log(`\n# the clock-sensitive suites under faketime -f +400d (${shifted.length} files)`);
  run('faketime', ['-f', '+400d', process.execPath, ...nodeTest, ...shifted]);
}

// The node test runner's summary is the last thing printed, so CI reads its pass/fail counts.
run(process.execPath, [...nodeTest, ...files]);
