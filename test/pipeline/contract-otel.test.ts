/**
 * The contract through the real OTel Collector: the demo cluster (real processes, instrumented only via the SDK)
 * → hmx-collector → otelcol → Prometheus (state gauges, flow counters, servicegraph) and the file exporters standing
 * in for Loki (lifecycle log records) and Tempo (message spans, one trace per message across nodes).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDemo, type DemoHandle } from '../../collector/src/demo/index.js';
import type { TestOtelcol } from '../support/otelcol.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestPrometheus } from '../support/prometheus.js';
import { pollUntil } from '../support/wait.js';

let pipeline: TestPipeline;
let prom: TestPrometheus;
let otelcol: TestOtelcol;
let demo: DemoHandle;

before(async () => {
  pipeline = await startPipeline();
  ({ prom, otelcol } = pipeline);
  demo = await startDemo({
    collectorUrl: pipeline.collector.url,
    otlpEndpoint: otelcol.otlpHttpUrl,
    nodes: 2,
    actorsPerNode: 2,
    messageRateHz: 20,
    chaos: false,
    seed: 7,
  });
});

after(async () => {
  await demo?.stop();
  await pipeline?.stop();
});

test('state gauges and flow counters are queryable with PromQL and match the collector', async () => {
  const nodes = await prom.waitFor('hmx_node_up{hmx_layer="mesh"} == 1', (s) => s.length === 2);
  assert.deepEqual(nodes.map((s) => s.metric.hmx_node_id).sort(), ['mesh:node-1', 'mesh:node-2']);
  const actors = await prom.waitFor('hmx_actor_up{hmx_layer="mesh"} == 1', (s) => s.length === 4);
  assert.ok(actors.every((s) => s.metric.hmx_node_id?.startsWith('mesh:node-')));
  const flows = await prom.waitFor('sum(hmx_flow_messages_total) > 0');
  assert.ok(flows[0]!.value > 0);
  // The first flow to arrive may be inside one node: wait for a cross-node one (either direction) in its own right.
  const crossNode = await prom.waitFor(
    'hmx_flow_messages_total{hmx_source_node_id="mesh:node-1", hmx_destination_node_id="mesh:node-2"} or hmx_flow_messages_total{hmx_source_node_id="mesh:node-2", hmx_destination_node_id="mesh:node-1"}',
  );
  for (const s of crossNode) {
    // each end's node label is the node its actor lives on (actor ids are <node id>/<actor>)
    assert.ok(s.metric.hmx_source_actor_id?.startsWith(`${s.metric.hmx_source_node_id}/`), JSON.stringify(s.metric));
    assert.ok(s.metric.hmx_destination_actor_id?.startsWith(`${s.metric.hmx_destination_node_id}/`), JSON.stringify(s.metric));
  }
});

test('lifecycle log records reach the log pipeline with event.name and the contract body', async () => {
  await otelcol.waitForLogRecords((r) => r.attributes['event.name'] === 'hmx.actor.spawned');
  const logs = await otelcol.readLogRecords();
  const spawned = logs.filter((r) => r.attributes['event.name'] === 'hmx.actor.spawned');
  const body = JSON.parse(String(spawned[0]!.body)) as { type: string; actor: { id: string }; v: number };
  assert.equal(body.v, 1);
  assert.equal(body.type, 'actor.spawned');
  assert.equal(spawned[0]!.attributes['hmx.actor.id'], body.actor.id);
  assert.ok(logs.some((r) => r.attributes['event.name'] === 'hmx.node.joined'));
});

test('one message across nodes is one trace: a PRODUCER span and its CONSUMER child on the other node', async () => {
  // Each node process exports its own spans in batches, so wait until some consumer's producer has arrived too.
  const pair = await pollUntil(
    async () => {
      const spans = await otelcol.readSpans();
      const ids = new Map(spans.map((s) => [s.spanId, s]));
      const consumer = spans.find((s) => s.kind === 5 && s.parentSpanId && ids.has(s.parentSpanId));
      return consumer ? { consumer, producer: ids.get(consumer.parentSpanId!) } : undefined;
    },
    { timeoutMs: 30_000, what: 'a consumer span whose producer span has arrived' },
  );
  const { consumer, producer } = pair;
  assert.equal(producer!.kind, 4, 'the parent is a PRODUCER span');
  assert.equal(producer!.traceId, consumer.traceId);
  assert.notEqual(producer!.resource['service.instance.id'] ?? producer!.resource['process.pid'], undefined);
  assert.equal(producer!.attributes['messaging.operation.type'], 'send');
  assert.equal(consumer.attributes['messaging.operation.type'], 'process');
  await prom.waitFor('sum(traces_service_graph_request_total) > 0');
});
