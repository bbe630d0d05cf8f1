import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDuration } from '../../src/config/duration.js';
import { ConfigError } from '../../src/config/errors.js';
import { resolveConfig } from '../../src/cli/options.js';
import { fromEnv } from '../../src/config/env.js';
import { buildConfig, readConfigFile } from '../../src/config/load.js';
import { COLLECTOR_VERSION, collectorResource } from '../../src/export/resource.js';
import { parseRecorderConfig } from '../../src/recorder/config.js';
import { builtinSources } from '../../src/sources/index.js';

const build = (...layers: object[]) => buildConfig(layers as Record<string, unknown>[], builtinSources);

function throwsKey(fn: () => unknown, key: string) {
  assert.throws(fn, (e: unknown) => e instanceof ConfigError && e.key === key && e.message.includes(key), `ConfigError naming ${key}`);
}

test('defaults: loopback surface, local sources on, no OTLP', () => {
  const c = build();
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: 9464 });
  assert.equal(c.otlp, undefined);
  assert.deepEqual(
    c.sources.map((s) => s.factory.name),
    ['os', 'hardware'],
  );
  assert.equal(c.sources[0]!.schedule.intervalMs, 10_000);
  assert.equal(c.sources[0]!.schedule.retries, 3);
  assert.equal(c.keyframeIntervalMs, 600_000);
});

// docs/configuration.md: defaults → environment variables → the --config file → flags, each beating the one before.
// The environment is always an injected object; process.env is never touched.
const ENV = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
  OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=env',
  OTEL_METRIC_EXPORT_INTERVAL: '2500',
  OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
  OTEL_SERVICE_NAME: 'from-env',
  HMX_LISTEN: '127.0.0.1:1111',
  HMX_TOKEN: 'token-from-the-environment',
  HMX_LOG_LEVEL: 'debug',
  HMX_RECORDER_DIR: '/env/rec',
};

test('precedence 1: the environment beats the defaults', () => {
  const c = build(fromEnv(ENV));
  assert.equal(c.listen.port, 1111);
  assert.deepEqual(c.otlp, { endpoint: 'http://env:4318', headers: { 'x-tenant': 'env' }, metricIntervalMs: 2500, logsProtocol: 'http/json' });
  assert.equal(
    build(fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' })).otlp?.logsProtocol,
    'http/protobuf',
    'protobuf unless asked (the OTLP default)',
  );
  assert.equal(c.serviceName, 'from-env');
  assert.equal(c.token, 'token-from-the-environment');
  assert.equal(c.logLevel, 'debug');
  assert.equal(parseRecorderConfig(c.raw.recorder).dir, '/env/rec');
  assert.equal(build().logLevel, 'info');
  assert.equal(build().serviceName, 'hmx-collector');
});

test('precedence 2: the config file beats the environment, key by key', () => {
  const file = {
    listen: '127.0.0.1:2222',
    serviceName: 'from-file',
    logLevel: 'warn',
    token: 'token-from-the-config-file',
    otlp: { endpoint: 'http://file:4318' },
    recorder: { dir: '/file/rec' },
  };
  const c = build(fromEnv(ENV), file);
  assert.equal(c.listen.port, 2222);
  assert.equal(c.serviceName, 'from-file', 'OTEL_SERVICE_NAME does not beat the file');
  assert.equal(c.logLevel, 'warn');
  assert.equal(c.token, 'token-from-the-config-file');
  assert.equal(c.otlp?.endpoint, 'http://file:4318');
  assert.equal(parseRecorderConfig(c.raw.recorder).dir, '/file/rec', 'HMX_RECORDER_DIR does not beat the file');
  // What the file does not set still comes from the environment.
  assert.equal(c.otlp?.metricIntervalMs, 2500);
  assert.deepEqual(c.otlp?.headers, { 'x-tenant': 'env' });
});

test('precedence 3: flags beat the config file (and the environment), through resolveConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-config-'));
  const file = join(dir, 'hmx.yaml');
  writeFileSync(file, 'listen: 127.0.0.1:2222\ninterval: 20s\notlp:\n  endpoint: http://file:4318\n');
  const c = resolveConfig({ config: file, listen: '127.0.0.1:3333', otlpEndpoint: 'http://flag:4318', interval: '2s' }, {}, ENV);
  assert.equal(c.listen.port, 3333);
  assert.equal(c.otlp?.endpoint, 'http://flag:4318');
  assert.equal(c.sources.find((s) => s.factory.name === 'os')!.schedule.intervalMs, 2000);
  const fileOnly = resolveConfig({ config: file }, {}, ENV);
  assert.equal(fileOnly.listen.port, 2222, 'without the flag the file wins over HMX_LISTEN');
  assert.equal(resolveConfig({}, {}, ENV).listen.port, 1111, 'without file and flag the injected environment is used');
});

test('precedence 4: OTEL_SERVICE_NAME beats a service.name in OTEL_RESOURCE_ATTRIBUTES; both are environment', () => {
  const attrs = 'service.name=attr-name,deployment.environment=prod%20eu';
  assert.equal(build(fromEnv({ OTEL_RESOURCE_ATTRIBUTES: attrs })).serviceName, 'attr-name');
  const c = build(fromEnv({ OTEL_RESOURCE_ATTRIBUTES: attrs, OTEL_SERVICE_NAME: 'svc' }));
  assert.equal(c.serviceName, 'svc');
  assert.equal(c.resourceAttributes['deployment.environment'], 'prod eu');
  assert.equal(build(fromEnv({ OTEL_RESOURCE_ATTRIBUTES: attrs }), { serviceName: 'from-file' }).serviceName, 'from-file');
});

test("precedence 5: on the resource, configured attributes beat the collector's own, serviceName beats both", () => {
  const c = build(fromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'host.name=pinned,service.name=attr-name,team=core' }), { serviceName: 'from-file' });
  const attributes = collectorResource(c.serviceName, c.resourceAttributes).attributes;
  assert.equal(attributes['host.name'], 'pinned');
  assert.equal(attributes['team'], 'core');
  assert.equal(attributes['service.name'], 'from-file');
  assert.equal(attributes['service.version'], COLLECTOR_VERSION);
});

test('the recorder directory defaults to XDG_STATE_HOME, else HOME, from the injected environment', () => {
  assert.equal(parseRecorderConfig(build(fromEnv({ XDG_STATE_HOME: '/state' })).raw.recorder).dir, '/state/hmx-collector/flight-recorder');
  assert.equal(parseRecorderConfig(build(fromEnv({ HOME: '/home/op' })).raw.recorder).dir, '/home/op/.local/state/hmx-collector/flight-recorder');
});

test('bad environment values name their variable, never the (secret) text', () => {
  throwsKey(() => fromEnv({ OTEL_METRIC_EXPORT_INTERVAL: 'fast' }), 'OTEL_METRIC_EXPORT_INTERVAL');
  throwsKey(() => fromEnv({ OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' }), 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL');
  assert.throws(
    () => fromEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%zzsecret' }),
    (e: unknown) => e instanceof ConfigError && e.key === 'OTEL_EXPORTER_OTLP_HEADERS' && !e.message.includes('secret'),
  );
  throwsKey(() => fromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'a=%' }), 'OTEL_RESOURCE_ATTRIBUTES');
  throwsKey(() => build(fromEnv({ HMX_LOG_LEVEL: 'loud' })), 'logLevel');
  throwsKey(() => build(fromEnv({ HMX_LISTEN: 'nowhere' })), 'listen');
});

test('OTEL_EXPORTER_OTLP_HEADERS are parsed into headers; a value may hold "="', () => {
  const c = build(fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=t1,x-sig=YWJj==' }));
  assert.deepEqual(c.otlp?.headers, { authorization: 'Bearer abc', 'x-tenant': 't1', 'x-sig': 'YWJj==' });
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
  throwsKey(() => build({ topology: { maxActors: 0 } }), 'topology.maxActors');
  throwsKey(() => build({ topology: { maxNodes: 'many' } }), 'topology.maxNodes');
  throwsKey(() => build({ topology: { maxActor: 5 } }), 'topology.maxActor');
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
  assert.deepEqual(
    c.sources.map((s) => s.factory.name),
    ['os'],
  );
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
