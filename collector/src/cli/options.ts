// Flags shared by commands, turned into a configuration layer (flags override config, config overrides env).
import { parseDuration } from '../config/duration.js';
import { fromEnv, type Env } from '../config/env.js';
import { ConfigError } from '../config/errors.js';
import { buildConfig, readConfigFile, type Config } from '../config/load.js';
import { builtinSources } from '../sources/index.js';

export interface CommonFlags {
  config?: string;
  listen?: string;
  otlpEndpoint?: string;
  interval?: string;
}

export function flagsLayer(flags: CommonFlags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (flags.listen !== undefined) out.listen = flags.listen;
  if (flags.otlpEndpoint !== undefined) {
    if (!/^https?:\/\/[^\s]+$/.test(flags.otlpEndpoint)) throw new ConfigError('--otlp-endpoint', 'an http(s) URL', flags.otlpEndpoint);
    out.otlp = { endpoint: flags.otlpEndpoint };
  }
  if (flags.interval !== undefined) {
    if (parseDuration(flags.interval) === undefined) throw new ConfigError('--interval', 'a duration like 1s, 500ms, 1m', flags.interval);
    out.interval = flags.interval;
  }
  return out;
}

/** The commands' configuration: defaults < environment < --config file < `extra` < flags. The agent reads process.env only here. */
export function resolveConfig(flags: CommonFlags, extra: Record<string, unknown> = {}, env: Env = process.env): Config {
  const file = flags.config ? readConfigFile(flags.config) : {};
  // --interval sets the default cadence; it also wins over the sources' own default intervals.
  const cadence = flags.interval
    ? { sources: Object.fromEntries(builtinSources.filter((f) => f.defaultInterval).map((f) => [f.name, { interval: flags.interval }])) }
    : {};
  return buildConfig([fromEnv(env), file, extra, flagsLayer(flags), cadence], builtinSources);
}
