// Starts a real collector (HTTP surface on an ephemeral loopback port) for tests.
import { startCollector, type Collector, type CollectorOptions } from '../../src/app.js';
import { buildConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/logger.js';
import { builtinSources } from '../../src/sources/index.js';

export async function testCollector(overrides: Record<string, unknown> = {}, options: CollectorOptions = {}): Promise<Collector> {
  const config = buildConfig([{ listen: '127.0.0.1:0', sources: { os: { enabled: false }, hardware: { enabled: false } } }, overrides], builtinSources);
  return startCollector(config, { logger: silentLogger(), ...options });
}
