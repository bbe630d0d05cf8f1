import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ActorRef, type ContractRecord, type NodeRef, validateRecord } from '@harmonix/contract';
import { TopologyState } from '../../src/topology/state.js';
import { rng as mulberry32 } from '../../src/core/random.js';

const node = (id: string): NodeRef => ({ id, kind: 'mesh-node', layer: 'mesh', name: id });
const actor = (id: string, n: string): ActorRef => ({ id, kind: 'worker', layer: 'mesh', name: id, node: n });

let seq = 0;
let clock = Date.parse('2026-11-01T00:00:00Z');
function rec(r: Record<string, unknown>, emitter = 'e'): ContractRecord {
  clock += 1000;
  const full = { v: 1, time: new Date(clock).toISOString(), emitter, seq: ++seq, ...r };
  const checked = validateRecord(full);
  assert.ok(checked.ok, `test record is valid: ${JSON.stringify(full)}`);
  return checked.value;
}

test('node.failed makes its running actors unknown (exited ones stay exited); node.left removes them', () => {
  const s = new TopologyState();
  assert.ok(s.apply(rec({ type: 'node.joined', node: node('n1') })).applied);
  assert.ok(s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') })).applied);
  assert.ok(s.apply(rec({ type: 'actor.spawned', actor: actor('a2', 'n1') })).applied);
  assert.ok(s.apply(rec({ type: 'actor.spawned', actor: actor('a3', 'n1') })).applied);
  assert.ok(s.apply(rec({ type: 'actor.exited', actor: actor('a3', 'n1'), reason: 'Completed' })).applied);
  const failed = s.apply(rec({ type: 'node.failed', node: node('n1'), reason: 'NotReady' }));
  assert.ok(failed.applied);
  assert.deepEqual(failed.unknownActors?.map((a) => a.ref.id).sort(), ['a1', 'a2']);
  assert.equal(s.nodes.get('n1')?.state, 'failed');
  assert.deepEqual([...s.actors.values()].map((a) => [a.ref.id, a.state]).sort(), [
    ['a1', 'unknown'],
    ['a2', 'unknown'],
    ['a3', 'exited'],
  ]);
  assert.equal(s.actors.get('a1')?.since, failed.at, 'since = the failure time');
  assert.ok(s.apply(rec({ type: 'node.recovered', node: node('n1') })).applied);
  assert.equal(s.nodes.get('n1')?.state, 'up');
  assert.equal(s.actors.get('a1')?.state, 'unknown', 'recovery says nothing about the actors');
  const left = s.apply(rec({ type: 'node.left', node: node('n1') }));
  assert.deepEqual(left.removedActors?.map((a) => a.ref.id).sort(), ['a1', 'a2', 'a3']);
  assert.equal(s.nodes.size, 0);
  assert.equal(s.actors.size, 0);
});

test('an unknown actor leaves that state only through its own record', () => {
  const s = new TopologyState();
  s.apply(rec({ type: 'node.joined', node: node('n1') }));
  for (const id of ['a1', 'a2', 'a3']) s.apply(rec({ type: 'actor.spawned', actor: actor(id, 'n1') }));
  s.apply(rec({ type: 'actor.restarted', actor: actor('a2', 'n1'), restartCount: 2 }));
  s.apply(rec({ type: 'node.failed', node: node('n1') }));
  const spawned = s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') }));
  assert.ok(spawned.applied && !spawned.anomaly, 'spawned → running, not a duplicate_spawn');
  assert.equal(s.actors.get('a1')?.state, 'running');
  assert.ok(s.apply(rec({ type: 'actor.restarted', actor: actor('a2', 'n1'), restartCount: 3 })).applied);
  assert.deepEqual([s.actors.get('a2')?.state, s.actors.get('a2')?.restarts], ['running', 3]);
  assert.ok(s.apply(rec({ type: 'actor.exited', actor: actor('a3', 'n1'), reason: 'Deleted' })).applied);
  assert.deepEqual([s.actors.get('a3')?.state, s.actors.get('a3')?.reason], ['exited', 'Deleted']);
  const frame = s.keyframe('kf', 1);
  assert.deepEqual(TopologyState.fromKeyframe(frame).keyframe('kf', 1), frame, 'a keyframe carries the states');
});

test('actors exit, respawn and restart with absolute counts', () => {
  const s = new TopologyState();
  s.apply(rec({ type: 'node.joined', node: node('n1') }));
  s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') }));
  assert.ok(s.apply(rec({ type: 'actor.exited', actor: actor('a1', 'n1'), reason: 'crash', exitCode: 1 })).applied);
  assert.equal(s.actors.get('a1')?.state, 'exited');
  assert.equal(s.actors.get('a1')?.reason, 'crash');
  assert.ok(s.apply(rec({ type: 'actor.restarted', actor: actor('a1', 'n1'), restartCount: 3 })).applied);
  assert.deepEqual([s.actors.get('a1')?.state, s.actors.get('a1')?.restarts], ['running', 3]);
  assert.ok(s.apply(rec({ type: 'actor.exited', actor: actor('a1', 'n1') })).applied);
  assert.ok(s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') })).applied, 'respawn of an exited actor');
  assert.equal(s.actors.get('a1')?.restarts, 3, 'respawn keeps the restart count');
});

test('impossible transitions are reported as anomalies and change nothing', () => {
  const s = new TopologyState();
  const cases: [Record<string, unknown>, string][] = [
    [{ type: 'actor.exited', actor: actor('ghost', 'n1') }, 'unknown_actor'],
    [{ type: 'actor.spawned', actor: actor('a1', 'nowhere') }, 'unknown_node'],
    [{ type: 'node.failed', node: node('nx') }, 'unknown_node'],
    [{ type: 'node.recovered', node: node('nx') }, 'unknown_node'],
    [{ type: 'node.left', node: node('nx') }, 'unknown_node'],
    [{ type: 'actor.restarted', actor: actor('ghost', 'n1'), restartCount: 1 }, 'unknown_actor'],
  ];
  for (const [r, reason] of cases) {
    const result = s.apply(rec(r));
    assert.equal(result.applied, false, `${String(r.type)} not applied`);
    assert.equal(result.anomaly?.reason, reason);
  }
  s.apply(rec({ type: 'node.joined', node: node('n1') }));
  assert.equal(s.apply(rec({ type: 'node.joined', node: node('n1') })).anomaly?.reason, 'duplicate_join');
  assert.equal(s.apply(rec({ type: 'node.recovered', node: node('n1') })).anomaly?.reason, 'not_failed');
  s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') }));
  assert.equal(s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') })).anomaly?.reason, 'duplicate_spawn');
  s.apply(rec({ type: 'actor.restarted', actor: actor('a1', 'n1'), restartCount: 5 }));
  assert.equal(s.apply(rec({ type: 'actor.restarted', actor: actor('a1', 'n1'), restartCount: 2 })).anomaly?.reason, 'restart_count_decreased');
  s.apply(rec({ type: 'actor.exited', actor: actor('a1', 'n1') }));
  assert.equal(s.apply(rec({ type: 'actor.exited', actor: actor('a1', 'n1') })).anomaly?.reason, 'duplicate_exit');
  s.apply(rec({ type: 'node.failed', node: node('n1') }));
  assert.equal(s.apply(rec({ type: 'node.failed', node: node('n1') })).anomaly?.reason, 'duplicate_failure');
});

test("an exit stamped before the actor's own spawn is an anomaly, not applied", () => {
  const s = new TopologyState();
  s.apply(rec({ type: 'node.joined', node: node('n1') }));
  const spawned = rec({ type: 'actor.spawned', actor: actor('a1', 'n1') });
  s.apply(spawned);
  const early = { ...rec({ type: 'actor.exited', actor: actor('a1', 'n1'), reason: 'closed' }), time: new Date(Date.parse(spawned.time) - 4000).toISOString() };
  const result = s.apply(early);
  assert.equal(result.applied, false);
  assert.equal(result.anomaly?.reason, 'exit_before_spawn');
  assert.equal(s.actors.get('a1')?.state, 'running', 'the actor keeps running');
  assert.ok(s.apply(rec({ type: 'actor.exited', actor: actor('a1', 'n1') })).applied, 'a later exit applies');
});

test('duplicates by emitter+seq are dropped; gaps are applied and reported', () => {
  const s = new TopologyState();
  const joined = rec({ type: 'node.joined', node: node('n1') }, 'dup');
  assert.ok(s.apply(joined).applied);
  assert.equal(s.apply(joined).anomaly?.reason, 'duplicate_seq');
  seq += 5;
  const gap = s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') }, 'dup'));
  assert.ok(gap.applied);
  assert.equal(gap.anomaly?.reason, 'seq_gap');
});

test('flows accumulate per edge, even when an end is unknown (reported)', () => {
  const s = new TopologyState();
  s.apply(rec({ type: 'node.joined', node: node('n1') }));
  s.apply(rec({ type: 'actor.spawned', actor: actor('a1', 'n1') }));
  s.apply(rec({ type: 'actor.spawned', actor: actor('a2', 'n1') }));
  s.apply(rec({ type: 'flow', from: 'a1', to: 'a2', messages: 3, bytes: 300 }));
  s.apply(rec({ type: 'flow', from: 'a1', to: 'a2', messages: 2, bytes: 10 }));
  const r = s.apply(rec({ type: 'flow', from: 'a1', to: 'zz', messages: 1, bytes: 1 }));
  assert.equal(r.anomaly?.reason, 'unknown_actor');
  assert.deepEqual(
    [...s.flows.values()],
    [
      { from: 'a1', to: 'a2', messages: 5, bytes: 310 },
      { from: 'a1', to: 'zz', messages: 1, bytes: 1 },
    ],
  );
});

test('the oldest exited actors are forgotten beyond the limit', () => {
  const s = new TopologyState({ maxExitedActors: 2 });
  s.apply(rec({ type: 'node.joined', node: node('n1') }));
  for (const id of ['a', 'b', 'c']) {
    s.apply(rec({ type: 'actor.spawned', actor: actor(id, 'n1') }));
    s.apply(rec({ type: 'actor.exited', actor: actor(id, 'n1') }));
  }
  assert.deepEqual([...s.actors.keys()].sort(), ['b', 'c']);
});

// Property: a keyframe taken at any point, plus the records after it, rebuilds exactly the state of all records.
function randomStream(rand: () => number, n: number): ContractRecord[] {
  const nodes = ['n1', 'n2', 'n3', 'n4'];
  const actors = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: ContractRecord[] = [];
  for (let i = 0; i < n; i++) {
    const k = rand();
    const emitter = pick(['e1', 'e2']);
    const n1 = pick(nodes);
    const a = actor(pick(actors), n1);
    let r: Record<string, unknown>;
    if (k < 0.15) r = { type: 'node.joined', node: node(n1) };
    else if (k < 0.22) r = { type: 'node.failed', node: node(n1) };
    else if (k < 0.3) r = { type: 'node.recovered', node: node(n1) };
    else if (k < 0.33) r = { type: 'node.left', node: node(n1) };
    else if (k < 0.5) r = { type: 'actor.spawned', actor: a };
    else if (k < 0.6) r = { type: 'actor.exited', actor: a, reason: 'x' };
    else if (k < 0.68) r = { type: 'actor.restarted', actor: a, restartCount: Math.floor(rand() * 5) };
    else r = { type: 'flow', from: a.id, to: pick(actors), messages: Math.floor(rand() * 10), bytes: Math.floor(rand() * 1000) };
    const record = rec(r, emitter);
    out.push(record);
    if (rand() < 0.05) out.push(record); // duplicates happen
  }
  return out;
}

test('property: state(keyframe k + deltas after k) == state(all records), for random streams and cut points', () => {
  for (let trial = 0; trial < 200; trial++) {
    const rand = mulberry32(trial + 1);
    const stream = randomStream(rand, 20 + Math.floor(rand() * 200));
    const cut = Math.floor(rand() * stream.length);
    const full = new TopologyState({ maxExitedActors: 3 });
    const head = new TopologyState({ maxExitedActors: 3 });
    stream.forEach((r, i) => {
      full.apply(r);
      if (i < cut) head.apply(r);
    });
    const resumed = TopologyState.fromKeyframe(head.keyframe('k', 1), { maxExitedActors: 3 });
    for (const r of stream.slice(cut)) resumed.apply(r);
    const a = full.keyframe('k', 1);
    const b = resumed.keyframe('k', 1);
    assert.deepEqual({ ...b, time: '' }, { ...a, time: '' }, `trial ${trial}, cut ${cut} of ${stream.length}`);
  }
});
