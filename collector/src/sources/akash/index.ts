// The akash source factory: Akash chain market state (CometBFT RPC) and provider gateway telemetry.
import type { SourceFactory } from '../../core/source.js';
import { ConfigError } from '../../config/errors.js';
import { lazySource } from '../../core/lazy-source.js';
import { AkashConfigSchema, akashDefaults, configProblem, type AkashConfig } from './config.js';
import { akashMetrics } from './metrics.js';

export const akashSource: SourceFactory<AkashConfig> = {
  name: 'akash',
  layer: 'akash',
  configSchema: AkashConfigSchema,
  defaults: akashDefaults,
  check: configProblem,
  create(config) {
    const problem = configProblem(config); // also for callers that did not go through the loader
    if (problem) throw new ConfigError(problem.key, problem.expected, problem.got);
    // cosmjs and the Akash protobuf types (~60 MB) load only when the source starts.
    return lazySource({ name: 'akash', layer: 'akash', metrics: akashMetrics }, async () => new (await import('./source.js')).AkashSource(config));
  },
};

export type { AkashConfig } from './config.js';
