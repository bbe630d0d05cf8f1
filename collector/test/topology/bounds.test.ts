// Every per-entity structure is bounded: valid flows naming ever new (unknown) actors stop growing the topology at
// its bound, and what is dropped is counted (entity_limit) on /status and /metrics. Through the real surface.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Collector } from '../../src/app.js';
import { MAX_KEYFRAME_PART_BYTES, splitKeyframe } from '@harmonix/contract';
import type { ContractRecord } from '@harmonix/contract';
import { DEFAULT_STATE_OPTIONS, KEYFRAME_EMITTERS_BYTES, TopologyState } from '../../src/topology/state.js';
import { testCollector } from '../support/collector.js';

let c: Collector;
before(async () => {
  c = await testCollector({ ingest: { maxBodyBytes: 8 * 1024 * 1024, maxBatch: 10_000 } });
});
after(() => c.stop());

const T0 = Date.parse('2031-01-01T00:00:00Z');
let seq = 0;
const flow = (i: number) => ({
  v: 1,
  type: 'flow',
  time: new Date(T0 + i).toISOString(),
  emitter: 'bounds-test',
  seq: ++seq,
  from: `ghost:${i}`,
  to: `ghost:${i + 1}`,
  messages: 1,
  bytes: 10,
});

test('flows naming unknown actors stop at the bound; the drops are counted on /status and /metrics', async () => {
  const max = DEFAULT_STATE_OPTIONS.maxFlows;
  const extra = 2_500;
  for (let start = 0; start < max + extra; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, max + extra - start) }, (_, k) => flow(start + k));
    const res = await fetch(`${c.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    assert.equal(res.status, 202);
  }
  const status = (await (await fetch(`${c.url}/status`)).json()) as { topology: { flows: number; anomalies: Record<string, number> } };
  assert.equal(status.topology.flows, max);
  assert.equal(status.topology.anomalies.entity_limit, extra);
  const metrics = await (await fetch(`${c.url}/metrics`)).text();
  assert.match(metrics, /reason="entity_limit"[^\n]*\s2500\b/);
  // A reason that never happened is on /metrics at 0, so the dashboard's increase() reads 0 rather than "no data".
  assert.match(metrics, /hmx_collector_topology_anomalies_total\{[^}]*hmx_anomaly_reason="duplicate_exit"[^}]*\} 0\b/);
});

test('the bounds are configuration: topology.maxActors caps a running collector, maxEmitters forgets on /status', async () => {
  const small = await testCollector({ topology: { maxActors: 3, maxEmitters: 1 } });
  try {
    const time = new Date(T0).toISOString();
    const node = { id: 'n', kind: 'vm', layer: 'mesh', name: 'n' };
    const actor = (i: number) => ({ id: `n/a${i}`, node: 'n', kind: 'worker', layer: 'mesh', name: `a${i}` });
    const records = [
      { v: 1, type: 'node.joined', time, emitter: 'cfg', seq: 1, node },
      ...[1, 2, 3, 4, 5].map((i) => ({ v: 1, type: 'actor.spawned', time, emitter: 'cfg', seq: 1 + i, actor: actor(i) })),
    ] as ContractRecord[];
    assert.equal(small.ingest(records), 4, 'the node and three actors');
    assert.equal(small.topology.state.actors.size, 3);
    assert.equal(small.topology.anomalies.get('entity_limit'), 2);
    // the collector's own sources may have reported first: count from here
    const status = async () => ((await (await fetch(`${small.url}/status`)).json()) as { topology: { emitters: number; forgottenEmitters: number } }).topology;
    const before = await status();
    small.ingest([{ v: 1, type: 'audit', time, emitter: 'cfg-next', seq: 1, subject: 'x', message: 'm', severity: 'info' }] as ContractRecord[]);
    const after = await status();
    assert.deepEqual([after.emitters, after.forgottenEmitters - before.forgottenEmitters], [1, 1], 'cfg forgotten for cfg-next');
  } finally {
    await small.stop();
  }
});

test('nodes and actors are bounded too', () => {
  const s = new TopologyState({ maxNodes: 2, maxActors: 2, maxEmitters: 2 });
  const at = (i: number) => new Date(T0 + i).toISOString();
  const join = (id: string, emitter = 'e', n = ++seq) =>
    s.apply({ v: 1, type: 'node.joined', time: at(n), emitter, seq: n, node: { id, kind: 'vm', layer: 'mesh', name: id } });
  assert.ok(join('n1').applied && join('n2').applied);
  assert.equal(join('n3').anomaly?.reason, 'entity_limit');
  const spawn = (id: string, n = ++seq) =>
    s.apply({ v: 1, type: 'actor.spawned', time: at(n), emitter: 'e', seq: n, actor: { id, node: 'n1', kind: 'worker', layer: 'mesh', name: id } });
  assert.ok(spawn('a1').applied && spawn('a2').applied);
  assert.equal(spawn('a3').anomaly?.reason, 'entity_limit');
});

test('at the emitter bound the emitter silent longest is forgotten, and the newcomer applied', () => {
  const s = new TopologyState({ maxEmitters: 2 });
  const audit = (emitter: string, n: number) =>
    s.apply({ v: 1, type: 'audit', time: new Date(T0 + n).toISOString(), emitter, seq: n, subject: 'x', message: 'm', severity: 'info' });
  assert.ok(audit('old', 1).applied && audit('recent', 1).applied);
  assert.ok(audit('old', 2).applied, 'old is heard again: recent is now the one silent longest');
  assert.ok(audit('new', 1).applied, 'a new incarnation is applied, not refused');
  assert.deepEqual([...s.emitters.keys()], ['old', 'new']);
  assert.equal(s.forgottenEmitters, 1);
  assert.equal(audit('old', 2).anomaly?.reason, 'duplicate_seq', 'a remembered emitter still rejects a duplicate');
  assert.ok(audit('recent', 1).applied, 'a forgotten one no longer can (its last seq is gone)');
});

test("a keyframe names only the most recently heard emitters that fit part 0's budget", () => {
  const s = new TopologyState();
  const name = (i: number) => `sdk-runtime-${String(i).padStart(5, '0')}/${100_000 + i}-1733300000000`;
  for (let i = 0; i < 5000; i++) {
    s.apply({ v: 1, type: 'audit', time: new Date(T0 + i).toISOString(), emitter: name(i), seq: 7, subject: 'x', message: 'm', severity: 'info' });
  }
  const kf = s.keyframe('c', 1);
  const named = Object.keys(kf.emitters!);
  assert.ok(Buffer.byteLength(JSON.stringify(kf.emitters)) <= KEYFRAME_EMITTERS_BYTES);
  assert.ok(named.length > 500 && named.length < 5000, `${named.length} named`);
  assert.ok(named.includes(name(4999)) && !named.includes(name(0)), 'the newest kept, the oldest left out');
  assert.deepEqual(named, [...named].sort(), 'in name order');
  const parts = splitKeyframe(kf, 1);
  assert.ok(Buffer.byteLength(JSON.stringify(parts[0])) <= MAX_KEYFRAME_PART_BYTES, 'part 0 fits its line');
});
