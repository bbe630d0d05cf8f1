// The `recorder:` section: defaults, units, and errors that name recorder.<key>.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromEnv } from '../../src/config/env.js';
import { ConfigError } from '../../src/config/errors.js';
import { parseRecorderConfig } from '../../src/recorder/config.js';

test('defaults: enabled, 7 d retention, 1 GiB budget, 5 min bundles, brotli, the directory from the environment layer', () => {
  const c = parseRecorderConfig(fromEnv({ XDG_STATE_HOME: '/x' }).recorder);
  assert.equal(c.enabled, true);
  assert.equal(c.retentionMs, 7 * 86_400_000);
  assert.equal(c.maxBytes, 1024 ** 3);
  assert.equal(c.bundleIntervalMs, 300_000);
  assert.equal(c.compression, 'brotli');
  assert.equal(c.dir, '/x/hmx-collector/flight-recorder');
});

test('values: sizes with units, relative dirs resolve against the base', () => {
  const c = parseRecorderConfig({ dir: 'rec', maxBytes: '200MB', retention: '36h', bundleInterval: '30s', compression: 'gzip' }, '/srv/hmx');
  assert.equal(c.dir, '/srv/hmx/rec');
  assert.equal(c.maxBytes, 200_000_000);
  assert.equal(c.retentionMs, 36 * 3_600_000);
  assert.equal(c.bundleIntervalMs, 30_000);
});

for (const [invalid, key] of [
  [{ retention: 'forever' }, 'recorder.retention'],
  [{ retention: '1s' }, 'recorder.retention'],
  [{ maxBytes: '10KB' }, 'recorder.maxBytes'],
  [{ maxBytes: -5 }, 'recorder.maxBytes'],
  [{ enabled: 'yes' }, 'recorder.enabled'],
  [{ dir: '' }, 'recorder.dir'],
  [{ bundleInterval: '2d' }, 'recorder.bundleInterval'],
  [{ compression: 'zstd' }, 'recorder.compression'],
  [{ bundleMaxRecords: 0 }, 'recorder.bundleMaxRecords'],
  [{ retension: '7d' }, 'recorder.retension'],
  ['yes', 'recorder'],
] as const) {
  test(`invalid ${JSON.stringify(invalid)} → ConfigError naming ${key}`, () => {
    const raw = typeof invalid === 'object' ? { dir: '/srv/rec', ...invalid } : invalid;
    assert.throws(
      () => parseRecorderConfig(raw),
      (err: unknown) => err instanceof ConfigError && err.key === key,
    );
  });
}

test('without a directory (no environment layer, no recorder.dir) the error names recorder.dir', () => {
  assert.throws(
    () => parseRecorderConfig({ retention: '7d' }),
    (err: unknown) => err instanceof ConfigError && err.key === 'recorder.dir',
  );
});
