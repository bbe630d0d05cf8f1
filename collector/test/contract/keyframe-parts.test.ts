import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Keyframe, KeyframeAssembler, MAX_KEYFRAME_PART_BYTES, reassembleKeyframes, splitKeyframe, validateRecord } from '@harmonix/contract';
import { Topology } from '../../src/topology/service.js';
import { TopologyState } from '../../src/topology/state.js';
import { bigCluster } from '../support/big-cluster.js';

const bytes = (r: unknown) => Buffer.byteLength(JSON.stringify(r));

test('at 100 nodes / 10,000 actors / 20,000 flows every part fits 64 KiB, validates, and the parts rebuild the snapshot', (t) => {
  const state = bigCluster();
  const whole = state.keyframe('collector@host/1-1', 0);
  assert.equal(whole.nodes.length, 100);
  assert.equal(whole.actors.length, 10_000);
  assert.ok(whole.flows.length > 19_000, `${whole.flows.length} distinct edges`);
  assert.ok(
    whole.actors.some((a) => a.state === 'unknown'),
    'the failed node left actors in the unknown state',
  );
  const parts = splitKeyframe(whole, 41);
  const sizes = parts.map(bytes);
  t.diagnostic(
    `unsplit keyframe ${bytes(whole)} bytes -> ${parts.length} parts, ${Math.min(...sizes)}..${Math.max(...sizes)} bytes each (limit ${MAX_KEYFRAME_PART_BYTES})`,
  );
  assert.ok(parts.length > 1);
  for (const [i, p] of parts.entries()) {
    assert.ok(sizes[i]! <= MAX_KEYFRAME_PART_BYTES, `part ${i}: ${sizes[i]} bytes`);
    assert.deepEqual(
      [p.part?.index, p.part?.count, p.part?.id, p.seq, p.time, p.emitter],
      [i, parts.length, 'collector@host/1-1#41', 41 + i, whole.time, whole.emitter],
    );
    assert.equal('emitters' in p, i === 0, `emitters in part 0 only (part ${i})`);
    const checked = validateRecord(p, true);
    assert.ok(checked.ok, `part ${i} is a valid keyframe record: ${checked.ok ? '' : checked.errors.join('; ')}`);
  }
  // Parts are filled greedily: none but the last could have taken the next part's first entity.
  for (let i = 0; i + 1 < parts.length; i++) assert.ok(sizes[i]! > MAX_KEYFRAME_PART_BYTES - 4096, `part ${i} is well filled (${sizes[i]} bytes)`);

  const shuffled = [...parts].reverse();
  const { complete, incomplete } = reassembleKeyframes(shuffled);
  assert.deepEqual(incomplete, []);
  assert.equal(complete.length, 1);
  assert.deepEqual(complete[0], { ...whole, seq: 41 }, 'the union of the parts is the unsplit snapshot');
  const rebuilt = TopologyState.fromKeyframe(complete[0]!, { maxExitedActors: 100_000 });
  assert.deepEqual(rebuilt.keyframe('k', 1), state.keyframe('k', 1));
});

test('a missing part is detected and named; duplicates count once; whole keyframes pass through', () => {
  const state = bigCluster(10, 1200, 1500);
  const parts = splitKeyframe(state.keyframe('c', 0), 1, 16_384);
  assert.ok(parts.length >= 4, `${parts.length} parts`);
  const missing = 2;
  const { complete, incomplete } = reassembleKeyframes([...parts.filter((p) => p.part!.index !== missing), parts[0]!]);
  assert.deepEqual(complete, []);
  assert.equal(incomplete.length, 1);
  assert.deepEqual(
    incomplete[0]!.present,
    [...parts.keys()].filter((i) => i !== missing),
  );
  assert.equal(incomplete[0]!.time, parts[0]!.time);
  assert.match(incomplete[0]!.problem, new RegExp(`^keyframe c#1 at ${parts[0]!.time}: 1 of ${parts.length} part\\(s\\) missing$`));

  const small = new TopologyState().keyframe('c', 9);
  assert.deepEqual(reassembleKeyframes([small]).complete, [small], 'a keyframe without `part` is whole');
  const one = splitKeyframe(small, 5);
  assert.equal(one.length, 1);
  assert.deepEqual(reassembleKeyframes(one).complete, [{ ...small, seq: 5 }]);
});

test('parts that disagree or carry impossible indices are incomplete, never merged', () => {
  const parts = splitKeyframe(bigCluster(4, 300, 300).keyframe('c', 0), 1, 8192);
  const moved = parts.map((p, i) => (i === 1 ? { ...p, time: new Date(Date.parse(p.time) + 1000).toISOString() } : p));
  const a = reassembleKeyframes(moved);
  assert.equal(a.complete.length, 0);
  assert.match(a.incomplete[0]!.problem, /parts disagree/);
  const b = reassembleKeyframes([{ ...parts[1]!, part: { id: parts[0]!.part!.id, index: 99, count: 3 } }, ...parts]);
  assert.equal(b.complete.length, 0, 'a part claiming an index beyond its count spoils the keyframe');
  assert.match(b.incomplete[0]!.problem, /impossible index 99 of 3/);
});

test('sequential reading (an archive): a newer keyframe closes an older one that lacks parts', () => {
  const state = bigCluster(5, 400, 400);
  const first = splitKeyframe(state.keyframe('c', 0), 1, 8192);
  const second = splitKeyframe(state.keyframe('c', 0), 1 + first.length, 8192);
  const assembler = new KeyframeAssembler({ sequential: true });
  const seen: Keyframe[] = [];
  const lost: string[] = [];
  for (const p of [...first.slice(1), ...second]) {
    const r = assembler.add(p);
    if (r.complete) seen.push(r.complete);
    lost.push(...r.incomplete.map((i) => i.id));
  }
  assert.deepEqual(lost, ['c#1'], 'the first keyframe (part 0 lost) is reported when the second starts');
  assert.deepEqual(
    seen.map((k) => k.seq),
    [1 + first.length],
  );
  assert.deepEqual(assembler.drain(), []);
});

test('the topology service emits every keyframe as parts with consecutive seqs to its sinks', () => {
  const topology = new Topology('collector@h/1-1', 10, bigCluster(20, 2000, 2000));
  const written: Keyframe[] = [];
  topology.addSink({ name: 'capture', write() {}, writeKeyframe: (k) => written.push(k) });
  const at = Date.UTC(2031, 4, 1, 12);
  const a = topology.emitKeyframe(at);
  const b = topology.emitKeyframe(at + 600_000);
  assert.ok(a.length > 1);
  // stamped when emitted (the collector's heartbeat), not at its newest record
  assert.deepEqual([...new Set(written.map((k) => k.time))], [new Date(at).toISOString(), new Date(at + 600_000).toISOString()]);
  assert.deepEqual(written, [...a, ...b]);
  assert.deepEqual(
    written.map((k) => k.seq),
    written.map((_, i) => i + 1),
  );
  assert.equal(b[0]!.part!.id, `collector@h/1-1#${a.length + 1}`);
});
