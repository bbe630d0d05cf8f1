// The akash source factory: Akash chain market state (CometBFT RPC) and provider gateway telemetry.
import type { SourceFactory } from '../../core/source.js';
import { AkashConfigSchema, akashDefaults, configProblem, type AkashConfig } from './config.js';
import { AkashSource } from './source.js';

export const akashSource: SourceFactory<AkashConfig> = {
  name: 'akash',
  layer: 'akash',
  configSchema: AkashConfigSchema,
  defaults: akashDefaults,
  create(config) {
    const problem = configProblem(config);
    if (problem) throw new Error(problem);
    return new AkashSource(config);
  },
};

export { AkashSource } from './source.js';
export type { AkashConfig } from './config.js';
