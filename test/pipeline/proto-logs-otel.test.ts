/**
 * The lifecycle log export as OTLP/HTTP protobuf (otlp.logsProtocol: http/protobuf), accepted by the real OTel
 * Collector: every record arrives with the body, event name, severity, time and attributes the JSON export gives it,
 * non-ASCII text and a keyframe part included.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ContractRecord } from '@harmonix/contract';
import { lifecycleLine } from '../../collector/src/export/lifecycle-logs.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { pollUntil } from '../support/wait.js';

let pipeline: TestPipeline;

before(async () => {
  pipeline = await startPipeline({ otlp: { logsProtocol: 'http/protobuf' } });
});

after(async () => {
  await pipeline?.stop();
});

test('protobuf lifecycle log records reach the OTel Collector exactly as the JSON export shapes them', async () => {
  const { collector, otelcol } = pipeline;
  const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
  const node = { id: 'mesh:nöde-1', kind: 'mesh-node', layer: 'mesh', name: 'nöde ✓ 1' };
  const actor = { id: 'mesh:nöde-1/wörker', kind: 'worker', layer: 'mesh', name: 'wörker "quoted" \\ ✓', node: node.id };
  const records = [
    { v: 1, type: 'node.joined', time: at(0), emitter: 'proto-test', seq: 1, node },
    { v: 1, type: 'actor.spawned', time: at(1), emitter: 'proto-test', seq: 2, actor },
    { v: 1, type: 'actor.exited', time: at(2), emitter: 'proto-test', seq: 3, actor, reason: 'crashed', exitCode: 137 },
    { v: 1, type: 'node.failed', time: at(3), emitter: 'proto-test', seq: 4, node: { id: node.id }, reason: 'heartbeat lost' },
    // strings around the encoder's short-ASCII path: 127 ASCII characters, and 127 of them before a non-ASCII one
    { v: 1, type: 'actor.spawned', time: at(4), emitter: 'proto-test', seq: 5, actor: { ...actor, id: `mesh:${'a'.repeat(122)}`, name: 'n'.repeat(127) } },
    {
      v: 1,
      type: 'actor.spawned',
      time: at(5),
      emitter: 'proto-test',
      seq: 6,
      actor: { ...actor, id: `mesh:${'b'.repeat(121)}é`, name: `${'n'.repeat(127)}é` },
    },
  ] as unknown as ContractRecord[];
  assert.equal(collector.ingest(records), records.length);
  const got = await pollUntil(
    async () => {
      const found = (await otelcol.readLogRecords()).filter((r) => r.attributes['hmx.emitter'] === 'proto-test');
      return found.length >= records.length ? found : undefined;
    },
    { timeoutMs: 30_000, what: 'the protobuf log records in the otelcol logs file' },
  );
  const bySeq = new Map(got.map((r) => [Number(r.attributes['hmx.seq']), r]));
  for (const record of records) {
    const want = lifecycleLine(record);
    const r = bySeq.get(record.seq);
    assert.ok(r, `seq ${record.seq} arrived`);
    assert.equal(r.body, want.body, 'the body is the contract JSON, byte for byte');
    assert.equal(r.eventName, want.eventName);
    assert.equal(r.severityNumber, want.severityNumber);
    assert.equal(r.severityText, want.severityText);
    assert.equal(r.timeUnixNano, `${Date.parse(record.time)}000000`);
    assert.deepEqual(
      Object.fromEntries(Object.entries(r.attributes).map(([k, v]) => [k, String(v)])),
      // an attribute the record does not have (a failed node's layer) is left out, as in the JSON export
      Object.fromEntries(Object.entries(want.attributes).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))),
    );
    assert.equal(r.resource['service.name'], 'hmx-collector');
    assert.equal(r.scope.name, 'hmx-collector');
  }
});

test('a keyframe part goes out as protobuf too and arrives whole', async () => {
  const { collector, otelcol } = pipeline;
  const parts = collector.topology.emitKeyframe(Date.now());
  const got = await pollUntil(
    async () => {
      const found = (await otelcol.readLogRecords()).filter((r) => r.eventName === 'hmx.keyframe');
      return found.length >= parts.length ? found : undefined;
    },
    { timeoutMs: 30_000, what: 'the keyframe log records' },
  );
  assert.deepEqual(
    got.map((r) => r.body),
    parts.map((p) => JSON.stringify(p)),
  );
});
