// Benchmark: what the live-series filter (src/export/live-series.ts) adds to one metric collection at the
// topology's scale — 3 observable gauges × 10,000 actors, plain SDK vs filtered, alternating to share the noise.
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LiveSeries } from '../src/export/live-series.js';
import { SERIES_LIMIT } from '../src/export/telemetry.js';

const ACTORS = Number(process.env.HMX_BENCH_ACTORS ?? 10_000);
const ROUNDS = 10;

async function msPerCollection(filtered: boolean): Promise<number> {
  const live = new LiveSeries();
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const plain = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const reader = filtered ? live.attach(plain) : plain;
  const provider = new MeterProvider({ readers: [reader], views: [{ instrumentName: '*', aggregationCardinalityLimit: SERIES_LIMIT }] });
  const meter = filtered ? live.meter(provider.getMeter('bench')) : provider.getMeter('bench');
  // one attribute object per actor, kept across collections, as export/metrics.ts does
  const actors = Array.from({ length: ACTORS }, (_, i) => ({
    'hmx.actor.id': `mesh:n${i % 100}/a${i}`,
    'hmx.actor.kind': 'worker',
    'hmx.layer': 'mesh',
    'hmx.node.id': `mesh:n${i % 100}`,
  }));
  for (const name of ['g1', 'g2', 'g3']) {
    meter.createObservableGauge(name).addCallback((r) => {
      for (const attributes of actors) r.observe(1, attributes);
    });
  }
  await reader.forceFlush(); // the first collection creates every series
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) {
    exporter.reset();
    await reader.forceFlush();
  }
  await provider.shutdown();
  return Number(process.hrtime.bigint() - start) / 1e6 / ROUNDS;
}

const results = { plain: [] as number[], filtered: [] as number[] };
for (let i = 0; i < 2; i++) {
  results.plain.push(await msPerCollection(false));
  results.filtered.push(await msPerCollection(true));
}
const best = (xs: number[]) => Math.min(...xs).toFixed(1);
console.log(
  `live-series: 3 × ${ACTORS} series — plain SDK ${best(results.plain)} ms, filtered ${best(results.filtered)} ms per collection (best of 2 runs × ${ROUNDS}); load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
