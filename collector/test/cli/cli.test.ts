import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' },
  });

test('--help works for the program and for run', () => {
  const top = cli('--help');
  assert.equal(top.status, 0);
  assert.match(top.stdout, /run/);
  const run = cli('run', '--help');
  assert.equal(run.status, 0);
  for (const flag of ['--config', '--listen', '--otlp-endpoint', '--interval']) assert.ok(run.stdout.includes(flag), flag);
});

test('bad flags and bad configuration exit 2 and name the key', () => {
  const unknown = cli('run', '--frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /frobnicate/);
  const interval = cli('run', '--interval', 'soon');
  assert.equal(interval.status, 2);
  assert.match(interval.stderr, /--interval/);
  const endpoint = cli('run', '--otlp-endpoint', 'not a url');
  assert.equal(endpoint.status, 2);
  assert.match(endpoint.stderr, /--otlp-endpoint/);
  const dir = mkdtempSync(join(tmpdir(), 'hmx-cli-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'sources:\n  os:\n    interval: 12 parsecs\n');
  const config = cli('run', '--config', file);
  assert.equal(config.status, 2);
  assert.match(config.stderr, /sources\.os\.interval/);
  const open = cli('run', '--listen', '0.0.0.0:0');
  assert.equal(open.status, 2);
  assert.match(open.stderr, /token/);
});
