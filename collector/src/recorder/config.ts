// The `recorder:` configuration section: validated like every section (config/validate.ts), errors name `recorder.<key>`.
import { isAbsolute, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { parseDuration } from '../config/duration.js';
import { ConfigError } from '../config/errors.js';
import { checkSection } from '../config/validate.js';

const Duration = Type.String({ pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)$' });
const Size = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|KiB|MiB|GiB)$' })]);

export const RecorderSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    dir: Type.String({ minLength: 1, maxLength: 4096 }),
    retention: Duration,
    maxBytes: Size,
    bundleInterval: Duration,
    bundleMaxRecords: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
    compression: Type.Union([Type.Literal('brotli'), Type.Literal('gzip')]),
    ship: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RawRecorderConfig = Static<typeof RecorderSchema>;

export interface RecorderConfig {
  enabled: boolean;
  dir: string;
  retentionMs: number;
  maxBytes: number;
  bundleIntervalMs: number;
  bundleMaxRecords: number;
  compression: 'brotli' | 'gzip';
  /** Ship lifecycle records to the OTLP endpoint from the archive (durable queue). */
  ship: boolean;
}

export const MIN_BYTES = 1024 * 1024;
const DAY = 86_400_000;

/** Everything but `dir`, whose default depends on the environment and comes with it (config/env.ts). */
export const RECORDER_DEFAULTS: Omit<RawRecorderConfig, 'dir'> = {
  enabled: true,
  retention: '7d',
  maxBytes: '1GiB',
  bundleInterval: '5m',
  bundleMaxRecords: 100_000,
  compression: 'brotli',
  ship: true,
};

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export function parseSize(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? v : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(v.trim());
  return m ? Math.floor(Number(m[1]) * UNITS[m[2]!]!) : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the free-form `recorder:` section (merged over the defaults). Throws ConfigError naming `recorder.<key>`. */
export function parseRecorderConfig(raw: unknown, base = process.cwd()): RecorderConfig {
  if (raw !== undefined && raw !== null && !isObject(raw)) throw new ConfigError('recorder', 'a mapping of recorder settings', raw);
  const merged: Record<string, unknown> = { ...RECORDER_DEFAULTS, ...((raw as Record<string, unknown> | null) ?? {}) };
  if (merged.dir === undefined) throw new ConfigError('recorder.dir', 'an archive directory (recorder.dir or HMX_RECORDER_DIR)');
  checkSection(RecorderSchema, merged, 'recorder');
  const cfg = merged as RawRecorderConfig;
  const ms = (key: string, v: string, min: number, max: number, what: string) => {
    const d = parseDuration(v);
    if (d === undefined || d < min || d > max) throw new ConfigError(`recorder.${key}`, what, v);
    return d;
  };
  const maxBytes = parseSize(cfg.maxBytes);
  if (maxBytes === undefined || maxBytes < MIN_BYTES)
    throw new ConfigError('recorder.maxBytes', 'a size of at least 1MiB, e.g. 512MiB or 1073741824', cfg.maxBytes);
  if (cfg.dir.includes('\u0000')) throw new ConfigError('recorder.dir', 'a directory path', cfg.dir);
  return {
    enabled: cfg.enabled,
    dir: isAbsolute(cfg.dir) ? cfg.dir : resolve(base, cfg.dir),
    retentionMs: ms('retention', cfg.retention, 60_000, 366 * DAY, 'a duration from 1m to 366d, e.g. 7d'),
    maxBytes,
    bundleIntervalMs: ms('bundleInterval', cfg.bundleInterval, 1000, DAY, 'a duration from 1s to 24h, e.g. 5m'),
    bundleMaxRecords: cfg.bundleMaxRecords,
    compression: cfg.compression,
    ship: cfg.ship,
  };
}
