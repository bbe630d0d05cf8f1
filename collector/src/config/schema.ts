// The collector's configuration schema (YAML file, env, flags all end up here).
import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_STATE_OPTIONS } from '../topology/state.js';

const Duration = Type.String({ pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)$', description: 'a duration like 500ms, 10s, 5m, 1h' });

export const SourceCommon = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  interval: Type.Optional(Duration),
  timeout: Type.Optional(Duration),
});
export const COMMON_SOURCE_KEYS = ['enabled', 'interval', 'timeout'] as const;

export const ConfigSchema = Type.Object(
  {
    listen: Type.String({ pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):\\d{1,5}$', description: 'HOST:PORT' }),
    token: Type.Optional(Type.String({ minLength: 16, description: 'bearer token, at least 16 characters' })),
    serviceName: Type.String({ minLength: 1 }),
    resourceAttributes: Type.Record(Type.String({ minLength: 1 }), Type.String()),
    logLevel: Type.String({ pattern: '^(trace|debug|info|warn|error|fatal|silent)$' }),
    interval: Duration,
    timeout: Duration,
    keyframeInterval: Duration,
    otlp: Type.Object(
      {
        endpoint: Type.Optional(Type.String({ pattern: '^https?://', description: 'an http(s) URL' })),
        headers: Type.Record(Type.String(), Type.String()),
        metricInterval: Duration,
        logsProtocol: Type.Union([Type.Literal('http/json'), Type.Literal('http/protobuf')], { description: 'encoding of the lifecycle log export' }),
      },
      { additionalProperties: false },
    ),
    ingest: Type.Object(
      {
        maxBodyBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 }),
        maxBatch: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      },
      { additionalProperties: false },
    ),
    topology: Type.Object(
      {
        maxNodes: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
        maxActors: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
        maxExitedActors: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
        maxFlows: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
        maxEmitters: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      },
      { additionalProperties: false, description: 'bounds of the topology model (memory, /metrics and keyframe size grow with them)' },
    ),
    http: Type.Object(
      {
        headerTimeout: Duration,
        requestTimeout: Duration,
        idleTimeout: Duration,
        allowedHosts: Type.Array(Type.String({ pattern: '^[A-Za-z0-9.:-]{1,253}$', description: 'a host name without port' }), { maxItems: 64 }),
      },
      { additionalProperties: false },
    ),
    sources: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
    demo: Type.Object(
      {
        enabled: Type.Boolean(),
        nodes: Type.Integer({ minimum: 1, maximum: 200 }),
        actorsPerNode: Type.Integer({ minimum: 1, maximum: 1000 }),
        chaos: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    recorder: Type.Record(Type.String(), Type.Unknown()),
    harmonix: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type RawConfig = Static<typeof ConfigSchema>;

export const DEFAULTS: RawConfig = {
  listen: '127.0.0.1:9464',
  serviceName: 'hmx-collector',
  resourceAttributes: {},
  logLevel: 'info',
  interval: '10s',
  timeout: '5s',
  keyframeInterval: '10m',
  otlp: { headers: {}, metricInterval: '10s', logsProtocol: 'http/protobuf' },
  ingest: { maxBodyBytes: 1024 * 1024, maxBatch: 10_000 },
  topology: { ...DEFAULT_STATE_OPTIONS },
  http: { headerTimeout: '10s', requestTimeout: '30s', idleTimeout: '60s', allowedHosts: [] },
  sources: {}, // each factory's enabledByDefault / defaultInterval (load.ts factoryDefaults)
  demo: { enabled: false, nodes: 3, actorsPerNode: 4, chaos: true },
  recorder: {},
  harmonix: {},
};
