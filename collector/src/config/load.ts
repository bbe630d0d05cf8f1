// Builds the effective configuration: defaults < environment < config file < flags. Invalid input names its key.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { AnySourceFactory, SourceSchedule } from '../core/source.js';
import { parseDuration } from './duration.js';
import { ConfigError } from './errors.js';
import { COMMON_SOURCE_KEYS, ConfigSchema, DEFAULTS, type RawConfig } from './schema.js';
import { checkSection } from './validate.js';

type Partial = Record<string, unknown>;

export interface SourceSettings {
  factory: AnySourceFactory;
  schedule: SourceSchedule;
  options: unknown;
}

export interface Config {
  raw: RawConfig;
  listen: { host: string; port: number };
  token?: string;
  serviceName: string;
  /** Extra OTel resource attributes (OTEL_RESOURCE_ATTRIBUTES or `resourceAttributes:`); service.name is serviceName's. */
  resourceAttributes: Record<string, string>;
  logLevel: RawConfig['logLevel'];
  otlp?: { endpoint: string; headers: Record<string, string>; metricIntervalMs: number; logsProtocol: RawConfig['otlp']['logsProtocol'] };
  keyframeIntervalMs: number;
  ingest: RawConfig['ingest'];
  topology: RawConfig['topology'];
  http: { headersMs: number; requestMs: number; idleMs: number; allowedHosts: string[] };
  sources: SourceSettings[];
  demo: RawConfig['demo'];
}

const isObject = (v: unknown): v is Partial => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepMerge(base: Partial, over: Partial): Partial {
  const out: Partial = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Partial, v) : v;
  }
  return out;
}

export function readConfigFile(path: string): Partial {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', 'a readable YAML file', `${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(path, `valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isObject(doc)) throw new ConfigError('(root)', 'a YAML mapping of keys');
  return doc;
}

const isLoopback = (host: string) => host === 'localhost' || /^127\./.test(host) || host === '[::1]' || host === '::1';

/** The sources section the factories imply before any configuration: the ones on by default, with their cadence. */
export function factoryDefaults(factories: readonly AnySourceFactory[]): Partial {
  const on = factories.filter((f) => f.enabledByDefault);
  return { sources: Object.fromEntries(on.map((f) => [f.name, { enabled: true, ...(f.defaultInterval && { interval: f.defaultInterval }) }])) };
}

export function buildConfig(layers: Partial[], factories: readonly AnySourceFactory[]): Config {
  const merged = [factoryDefaults(factories), ...layers].reduce((acc, layer) => deepMerge(acc, layer), DEFAULTS as unknown as Partial);
  checkSection(ConfigSchema, merged);
  const raw = merged as unknown as RawConfig;
  const ms = (key: string, v: string) => {
    const d = parseDuration(v);
    if (d === undefined) throw new ConfigError(key, 'a duration like 500ms, 10s, 5m', v);
    return d;
  };
  const m = /^(.*):(\d+)$/.exec(raw.listen)!;
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = Number(m[2]);
  if (port > 65535) throw new ConfigError('listen', 'a port from 0 to 65535', port);
  if (!isLoopback(m[1]!) && !raw.token) {
    throw new ConfigError('token', `a bearer token (HMX_TOKEN or token:) because listen ${raw.listen} is not loopback`);
  }
  const interval = ms('interval', raw.interval);
  const timeout = ms('timeout', raw.timeout);
  const sources: SourceSettings[] = [];
  for (const [name, section] of Object.entries(raw.sources)) {
    const factory = factories.find((f) => f.name === name);
    if (!factory) throw new ConfigError(`sources.${name}`, `a known source (${factories.map((f) => f.name).join(', ')})`);
    if (section.enabled === false || (section.enabled === undefined && !factory.enabledByDefault)) continue;
    if (section.enabled !== undefined && typeof section.enabled !== 'boolean')
      throw new ConfigError(`sources.${name}.enabled`, 'true or false', section.enabled);
    const own = Object.fromEntries(Object.entries(section).filter(([k]) => !(COMMON_SOURCE_KEYS as readonly string[]).includes(k)));
    const options = deepMerge(factory.defaults as Partial, own);
    checkSection(factory.configSchema, options, `sources.${name}`);
    const problem = factory.check?.(options);
    if (problem) throw new ConfigError(problem.key, problem.expected, problem.got);
    const str = (k: 'interval' | 'timeout') => {
      const v = section[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw new ConfigError(`sources.${name}.${k}`, 'a duration like 10s', v);
      return ms(`sources.${name}.${k}`, v);
    };
    const sourceInterval = str('interval') ?? interval;
    sources.push({
      factory,
      options,
      schedule: {
        intervalMs: sourceInterval,
        // Honoured as configured: attempts run one after another, so a timeout longer than the interval only
        // delays the next attempt (never overlaps it); a silent cap would undercut the source's own thresholds.
        timeoutMs: str('timeout') ?? timeout,
        retries: 3,
        backoffBaseMs: Math.min(1000, sourceInterval / 4),
        backoffMaxMs: Math.max(1000, sourceInterval),
        circuitThreshold: 5,
        circuitCooldownMs: Math.max(30_000, sourceInterval * 3),
      },
    });
  }
  const http = {
    headersMs: ms('http.headerTimeout', raw.http.headerTimeout),
    requestMs: ms('http.requestTimeout', raw.http.requestTimeout),
    idleMs: ms('http.idleTimeout', raw.http.idleTimeout),
    allowedHosts: raw.http.allowedHosts,
  };
  if (http.headersMs > http.requestMs)
    throw new ConfigError(
      'http.headerTimeout',
      `at most http.requestTimeout (${raw.http.requestTimeout}): headers are part of the request`,
      raw.http.headerTimeout,
    );
  return {
    raw,
    listen: { host, port },
    token: raw.token,
    serviceName: raw.serviceName,
    resourceAttributes: raw.resourceAttributes,
    logLevel: raw.logLevel,
    otlp: raw.otlp.endpoint
      ? {
          endpoint: raw.otlp.endpoint,
          headers: raw.otlp.headers,
          metricIntervalMs: ms('otlp.metricInterval', raw.otlp.metricInterval),
          logsProtocol: raw.otlp.logsProtocol,
        }
      : undefined,
    keyframeIntervalMs: ms('keyframeInterval', raw.keyframeInterval),
    ingest: raw.ingest,
    topology: raw.topology,
    http,
    sources,
    demo: raw.demo,
  };
}
