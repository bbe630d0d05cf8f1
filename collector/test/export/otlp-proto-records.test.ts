// A record written straight into a protobuf logs request (addRecord) is byte for byte the record written as its
// lifecycle line (add(lifecycleLine(...))): the line is the reference, reviewed against the real OTel Collector in
// test/pipeline/proto-logs-otel.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lifecycleLine } from '../../src/export/lifecycle-logs.js';
import { ProtoLogsRequest } from '../../src/export/otlp-proto-logs.js';
import { randomStream, type ContractRecord } from '../recorder/helpers.js';

const at = '2026-03-04T05:00:00.000Z';
const node = { id: 'mesh:n1', kind: 'vm', layer: 'mesh', name: 'n1' } as const;
const actor = { id: 'mesh:n1/a1', kind: 'worker', layer: 'mesh', name: 'a1', node: 'mesh:n1' } as const;
/** Types the random stream does not draw. */
const others: ContractRecord[] = [
  { v: 1, type: 'actor.exited', time: at, emitter: 'x', seq: 1, actor, exitCode: -9, reason: 'killed' },
  { v: 1, type: 'node.recovered', time: at, emitter: 'x', seq: 2, node },
  { v: 1, type: 'node.left', time: at, emitter: 'x', seq: 3, node },
];

const resource = { 'service.name': 'hmx-collector-test', 'service.instance.id': 'x/1' };

test('property: addRecord writes exactly the bytes of add(lifecycleLine(record)), for every record type', () => {
  const observed = Date.parse('2026-03-04T05:06:07.089Z');
  const types = new Set<string>();
  for (const seed of [1, 2, 3]) {
    const records = [...randomStream(seed, 400).filter((r) => r.type !== 'keyframe'), ...others];
    const direct = new ProtoLogsRequest(resource, 16);
    const viaLines = new ProtoLogsRequest(resource, 16);
    records.forEach((r, i) => {
      types.add(r.type === 'audit' ? `audit/${r.severity}` : r.type);
      // Half with the body and time given, as ingest does; half left to be worked out.
      if (i % 2) direct.addRecord(r, JSON.stringify(r), Date.parse(r.time), observed);
      else direct.addRecord(r, undefined, undefined, observed);
      viaLines.add(lifecycleLine(r), observed);
    });
    assert.equal(direct.count, records.length);
    assert.deepEqual(Buffer.from(direct.finish()), Buffer.from(viaLines.finish()), `seed ${seed}`);
  }
  for (const t of ['node.joined', 'node.failed', 'node.left', 'node.recovered', 'actor.spawned', 'actor.exited', 'actor.restarted', 'flow'])
    assert.ok(types.has(t), `the stream has ${t}`);
  assert.ok(
    [...types].some((t) => t.startsWith('audit/')),
    'the stream has audits',
  );
});
