import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDuration } from '../../src/config/duration.js';
import { ConfigError } from '../../src/config/errors.js';
import { buildConfig, fromEnv, readConfigFile } from '../../src/config/load.js';
import { builtinSources } from '../../src/sources/index.js';

const build = (...layers: object[]) => buildConfig(layers as Record<string, unknown>[], builtinSources);

function throwsKey(fn: () => unknown, key: string) {
  assert.throws(fn, (e: unknown) => e instanceof ConfigError && e.key === key && e.message.includes(key), `ConfigError naming ${key}`);
}

test('defaults: loopback surface, local sources on, no OTLP', () => {
  const c = build();
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: 9464 });
  assert.equal(c.otlp, undefined);
  assert.deepEqual(c.sources.map((s) => s.factory.name), ['os', 'hardware']);
  assert.equal(c.sources[0]!.schedule.intervalMs, 10_000);
  assert.equal(c.sources[0]!.schedule.retries, 3);
  assert.equal(c.keyframeIntervalMs, 600_000);
});

test('precedence: flags > config file > environment > defaults', () => {
  const env = fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_SERVICE_NAME: 'from-env', OTEL_METRIC_EXPORT_INTERVAL: '2500', HMX_LISTEN: '127.0.0.1:1111' });
  const file = { listen: '127.0.0.1:2222', otlp: { endpoint: 'http://file:4318' } };
  const flags = { listen: '127.0.0.1:3333' };
  const c = build(env, file, flags);
  assert.equal(c.listen.port, 3333);
  assert.equal(c.otlp?.endpoint, 'http://file:4318');
  assert.equal(c.otlp?.metricIntervalMs, 2500);
  assert.equal(c.serviceName, 'from-env');
  assert.equal(build(env).otlp?.endpoint, 'http://env:4318');
});

test('OTEL_EXPORTER_OTLP_HEADERS are parsed into headers', () => {
  const c = build(fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=t1' }));
  assert.deepEqual(c.otlp?.headers, { authorization: 'Bearer abc', 'x-tenant': 't1' });
});

test('invalid values name their key', () => {
  throwsKey(() => build({ interval: 'often' }), 'interval');
  throwsKey(() => build({ listen: 'nowhere' }), 'listen');
  throwsKey(() => build({ listen: '127.0.0.1:99999' }), 'listen');
  throwsKey(() => build({ otlp: { endpoint: 'ftp://x' } }), 'otlp.endpoint');
  throwsKey(() => build({ bogus: 1 }), 'bogus');
  throwsKey(() => build({ sources: { os: { interval: 'soon' } } }), 'sources.os.interval');
  throwsKey(() => build({ sources: { os: { procRoot: 5 } } }), 'sources.os.procRoot');
  throwsKey(() => build({ sources: { nope: {} } }), 'sources.nope');
  throwsKey(() => fromEnv({ OTEL_METRIC_EXPORT_INTERVAL: 'fast' }), 'OTEL_METRIC_EXPORT_INTERVAL');
});

test('a non-loopback listen address requires a token', () => {
  throwsKey(() => build({ listen: '0.0.0.0:9464' }), 'token');
  assert.equal(build({ listen: '0.0.0.0:9464', token: 'a-long-enough-secret' }).token, 'a-long-enough-secret');
});

test('YAML config files: valid, malformed, not a mapping, missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-config-'));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'listen: 127.0.0.1:4444\nsources:\n  hardware:\n    enabled: false\n');
  const c = build(readConfigFile(good));
  assert.equal(c.listen.port, 4444);
  assert.deepEqual(c.sources.map((s) => s.factory.name), ['os']);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'listen: [unclosed\n');
  throwsKey(() => readConfigFile(bad), bad);
  const list = join(dir, 'list.yaml');
  writeFileSync(list, '- a\n- b\n');
  throwsKey(() => readConfigFile(list), '(root)');
  throwsKey(() => readConfigFile(join(dir, 'missing.yaml')), '--config');
});

test('a source timeout longer than its interval is honoured as configured, never cut', () => {
  const c = build({ timeout: '7s', sources: { os: { interval: '1s', timeout: '20s' }, hardware: { interval: '1s' } } });
  const schedule = (name: string) => c.sources.find((s) => s.factory.name === name)!.schedule;
  assert.equal(schedule('os').intervalMs, 1000);
  assert.equal(schedule('os').timeoutMs, 20_000);
  assert.equal(schedule('hardware').timeoutMs, 7000, 'the top-level timeout, not 3 × interval');
});

test('durations', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('0s'), undefined);
  assert.equal(parseDuration('10'), undefined);
});
