/**
 * Keyframe parts through the real OTel Collector: a collector holding 100 nodes / 10,000 actors / 20,000 flows emits
 * one keyframe; every hmx.keyframe log record the otelcol writes (its file exporter stands in for Loki) has a body of
 * at most 64 KiB, and the bodies reassemble into exactly the collector's snapshot.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Keyframe, MAX_KEYFRAME_PART_BYTES, reassembleKeyframes } from '@harmonix/contract';
import { bigCluster } from '../../collector/test/support/big-cluster.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { pollUntil } from '../support/wait.js';

let pipeline: TestPipeline;

before(async () => {
  pipeline = await startPipeline({ keyframeInterval: '1h' });
});

after(async () => {
  await pipeline?.stop();
});

test('at 100 nodes / 10,000 actors / 20,000 flows each OTLP keyframe log body is <= 64 KiB and the parts rebuild the snapshot', async (t) => {
  const { collector, otelcol } = pipeline;
  // Filled straight into the state (not through the sinks), so the only log records of that size are the keyframe's.
  bigCluster(100, 10_000, 20_000, collector.topology.state);
  const emitted = collector.topology.emitKeyframe(collector.topology.state.lastTime);
  const records = await pollUntil(
    async () => {
      const found = (await otelcol.readLogRecords()).filter((r) => r.attributes['event.name'] === 'hmx.keyframe');
      return found.length >= emitted.length ? found : undefined;
    },
    { timeoutMs: 60_000, what: `${emitted.length} hmx.keyframe log records in ${otelcol.logsFile}` },
  );
  const bodies = records.map((r) => String(r.body));
  const sizes = bodies.map((b) => Buffer.byteLength(b));
  t.diagnostic(
    `${records.length} hmx.keyframe log records through otelcol, bodies ${Math.min(...sizes)}..${Math.max(...sizes)} bytes, ${sizes.reduce((a, b) => a + b, 0)} in all`,
  );
  assert.equal(records.length, emitted.length, 'every part arrived once');
  for (const [i, size] of sizes.entries()) assert.ok(size <= MAX_KEYFRAME_PART_BYTES, `body ${i}: ${size} bytes`);
  assert.deepEqual(
    records.map((r) => r.attributes['hmx.seq']).sort((a, b) => Number(a) - Number(b)),
    emitted.map((p) => p.seq),
  );
  // each part names its keyframe and place as structured metadata (a reader can query a keyframe's parts)
  assert.deepEqual(
    records
      .map((r) => [r.attributes['hmx.keyframe.id'], Number(r.attributes['hmx.keyframe.part.index']), Number(r.attributes['hmx.keyframe.part.count'])])
      .sort((a, b) => (a[1] as number) - (b[1] as number)),
    emitted.map((p) => [p.part!.id, p.part!.index, p.part!.count]),
  );
  const { complete, incomplete } = reassembleKeyframes(bodies.map((b) => JSON.parse(b) as Keyframe));
  assert.deepEqual(incomplete, []);
  assert.equal(complete.length, 1);
  const snapshot = collector.topology.state.keyframe(collector.topology.emitter, emitted[0]!.seq, emitted[0]!.time);
  assert.deepEqual(complete[0], snapshot);
});
