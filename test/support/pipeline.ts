// The real pipeline for a test: Prometheus ← OTel Collector (ocb build) ← hmx-collector, all on 127.0.0.1.
import type { Collector } from '../../collector/src/app.js';
import { startCollector } from '../../collector/src/app.js';
import { buildConfig } from '../../collector/src/config/load.js';
import { silentLogger } from '../../collector/src/core/logger.js';
import { builtinSources } from '../../collector/src/sources/index.js';
import { TestOtelcol } from './otelcol.js';
import { TestPrometheus } from './prometheus.js';

export interface TestPipeline {
  prom: TestPrometheus;
  otelcol: TestOtelcol;
  collector: Collector;
  stop(): Promise<void>;
}

/** `config` is a collector config layer over: ephemeral port, OTLP to the otelcol every second, host sources off. */
export async function startPipeline(config: Record<string, unknown> = {}): Promise<TestPipeline> {
  const prom = await TestPrometheus.start();
  const otelcol = await TestOtelcol.start({ prometheusRemoteWriteUrl: prom.remoteWriteUrl });
  const base = {
    listen: '127.0.0.1:0',
    otlp: { endpoint: otelcol.otlpHttpUrl, metricInterval: '1s' },
    sources: { os: { enabled: false }, hardware: { enabled: false } },
  };
  const collector = await startCollector(buildConfig([base, config], builtinSources), { logger: silentLogger() });
  return {
    prom,
    otelcol,
    collector,
    async stop() {
      await collector.stop();
      await otelcol.close();
      await prom.stop();
    },
  };
}
