// The ring of recent records (GET /v1/events): a record applied with its canonical line comes back as the same
// record, in order, mixed with records applied without one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContractRecord } from '@harmonix/contract';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { Topology } from '../../src/topology/service.js';

const time = '2026-01-01T00:00:00.000Z';
const joined = (i: number): ContractRecord => ({
  v: 1,
  type: 'node.joined',
  time,
  emitter: 'e',
  seq: i,
  node: { id: `n${i}`, kind: 'mesh-node', layer: 'mesh', name: `node ${i}` },
});

test('recent records read back the same whether they were kept as records or as their canonical lines', () => {
  const topology = new Topology('c', 3);
  const records = [1, 2, 3, 4, 5].map(joined);
  // Every other record with its line, as ingest passes it.
  const jsons = records.map((r, i) => (i % 2 === 0 ? canonicalJson(JSON.stringify(r), JSON.parse(JSON.stringify(r))) : undefined));
  assert.ok(jsons[0] !== undefined, 'the canonical check accepts a stringified record');
  assert.equal(topology.applyAll(records, { jsons }), 5);
  assert.deepEqual(
    topology.recentSince(0, 10),
    [3, 4, 5].map((cursor) => ({ cursor, record: records[cursor - 1] })),
  );
  assert.deepEqual(
    topology.recentSince(3, 1).map((r) => r.record),
    [records[3]],
  );
});
