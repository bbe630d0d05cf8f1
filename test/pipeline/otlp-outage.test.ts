/**
 * Fault: the OTLP endpoint goes down. Exports fail and are counted, memory stays bounded, the local surface keeps
 * working, and once the real OTel Collector is back the new state reaches Prometheus.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Collector } from '../../collector/src/app.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestOtelcol } from '../support/otelcol.js';
import type { TestPrometheus } from '../support/prometheus.js';
import { pollUntil } from '../support/wait.js';

let pipeline: TestPipeline;
let prom: TestPrometheus;
let otelcol: TestOtelcol;
let collector: Collector;

before(async () => {
  pipeline = await startPipeline({ otlp: { metricInterval: '2s' }, sources: { os: { enabled: true, interval: '1s' } } });
  ({ prom, otelcol, collector } = pipeline);
});

after(async () => {
  await pipeline?.stop();
});

let seq = 0;
const joined = (id: string) => ({
  v: 1 as const,
  type: 'node.joined' as const,
  time: new Date().toISOString(),
  emitter: 'outage-test',
  seq: ++seq,
  node: { id, kind: 'mesh-node', layer: 'mesh' as const, name: id },
});

test('export failures are counted while the endpoint is down; the surface keeps serving; export resumes after', async () => {
  await prom.waitFor('hmx_collector_source_up{hmx_source="os"} == 1');
  await otelcol.stop();
  const failures = () => collector.stats.exportFailures.get('metrics') ?? 0;
  await pollUntil(async () => (failures() >= 2 ? true : undefined), { timeoutMs: 30_000, what: 'metric export failures to be counted' });

  // Under load during the outage: lifecycle records keep flowing into the state; memory stays bounded.
  const rssBefore = process.memoryUsage.rss();
  for (let batch = 0; batch < 5; batch++) {
    collector.ingest(Array.from({ length: 1000 }, (_, i) => joined(`mesh:outage-${batch}-${i}`)));
  }
  const grown = (process.memoryUsage.rss() - rssBefore) / 1e6;
  assert.ok(grown < 200, `RSS grew ${grown.toFixed(0)} MB for 5k records during the outage`);

  const status = await fetch(`${collector.url}/status`);
  assert.equal(status.status, 200);
  const body = (await status.json()) as { otlp: { failures: Record<string, number> }; sources: Record<string, { state: string }> };
  assert.ok(body.otlp.failures.metrics! >= 2, 'failures visible on /status');
  assert.equal(body.sources.os!.state, 'ok', 'collection unaffected by the export outage');
  const local = await (await fetch(`${collector.url}/metrics`)).text();
  assert.match(local, /hmx_collector_export_failures_total\{hmx_signal="metrics"\} [1-9]/);

  // Back up on the same port: state created during the outage arrives.
  await otelcol.restart();
  collector.ingest([joined('mesh:after-outage')]);
  const [n] = await prom.waitFor('hmx_node_up{hmx_node_id="mesh:after-outage"}', undefined, 30_000);
  assert.equal(n!.value, 1);
  await prom.waitFor('hmx_node_up{hmx_node_id="mesh:outage-4-999"}');
  const okBefore = collector.stats.exportSuccesses.get('metrics') ?? 0;
  await pollUntil(async () => ((collector.stats.exportSuccesses.get('metrics') ?? 0) > okBefore ? true : undefined), {
    timeoutMs: 20_000,
    what: 'exports to succeed again',
  });
});
