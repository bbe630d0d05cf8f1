// The panel applies the contract exactly as the collector does: the oracle is the collector's own TopologyState
// (collector/src/topology/state.ts), run over the same random stream, not code of the panel.
import { splitKeyframe } from '../../../contract/src/keyframe-parts';
import type { ContractRecord } from '../../../contract/src/events';
import { TopologyState } from '../../../collector/src/topology/state';
import { TimelineEvent } from './contract';
import { STATUS } from './ops';
import { parseEventObject } from './parseEvent';
import { TimelineIndex } from './timeline';
import { pick, rng } from '../fixtures/random';

interface Seen {
  status: number;
  since: number;
  restarts: number;
}

const T0 = Date.UTC(2031, 4, 1);
const NODES = ['n0', 'n1', 'n2', 'n3'];
const ACTORS = Array.from({ length: 24 }, (_, i) => `a${i}`);

/** Random contract records (any of them may be rejected by the collector); times non-decreasing, often tied. */
function randomRecords(seed: number, n: number): ContractRecord[] {
  const r = rng(seed);
  const seqs = new Map<string, number>();
  let t = T0;
  const out: ContractRecord[] = [];
  for (let i = 0; i < n; i++) {
    t += r() < 0.3 ? 0 : Math.floor(r() * 4) * 1000;
    const emitter = pick(r, ['kubernetes@h/1-1', 'mesh-sdk/7-1']);
    const seq = (seqs.get(emitter) ?? 0) + 1;
    seqs.set(emitter, seq);
    const env = { v: 1 as const, time: new Date(t).toISOString(), emitter, seq };
    const nodeId = pick(r, NODES);
    const node = { id: nodeId, kind: 'vm', layer: 'mesh' as const, name: nodeId };
    const actorId = pick(r, ACTORS);
    const actor = { id: actorId, kind: 'worker', layer: 'mesh' as const, name: actorId, node: nodeId };
    const k = r();
    if (k < 0.12) {
      out.push({ ...env, type: 'node.joined', node });
    } else if (k < 0.2) {
      out.push({ ...env, type: 'node.failed', node, reason: 'heartbeat lost' });
    } else if (k < 0.28) {
      out.push({ ...env, type: 'node.recovered', node });
    } else if (k < 0.31) {
      out.push({ ...env, type: 'node.left', node });
    } else if (k < 0.6) {
      out.push({ ...env, type: 'actor.spawned', actor });
    } else if (k < 0.75) {
      out.push({ ...env, type: 'actor.exited', actor, reason: 'Deleted' });
    } else if (k < 0.88) {
      out.push({ ...env, type: 'actor.restarted', actor, restartCount: Math.floor(r() * 6) });
    } else {
      out.push({ ...env, type: 'audit', subject: nodeId, message: 'note', severity: 'info' });
    }
  }
  return out;
}

const ACTOR_STATUS = { running: STATUS.UP, exited: STATUS.DOWN, unknown: STATUS.UNKNOWN } as const;

function oracleView(state: TopologyState): Map<string, Seen> {
  const m = new Map<string, Seen>();
  for (const n of state.nodes.values()) {
    m.set(`node:${n.ref.id}`, { status: n.state === 'up' ? STATUS.UP : STATUS.DOWN, since: n.since, restarts: 0 });
  }
  for (const a of state.actors.values()) {
    m.set(`actor:${a.ref.id}`, { status: ACTOR_STATUS[a.state], since: a.since, restarts: a.restarts });
  }
  return m;
}

/** The panel's snapshot; a left node and an ended actor are absent, as in the collector. */
function panelView(index: TimelineIndex, t: number): Map<string, Seen> {
  const s = index.snapshotAt(t);
  const reg = index.registry;
  const m = new Map<string, Seen>();
  for (let i = 0; i < reg.size; i++) {
    if (s.status[i] === STATUS.ABSENT || s.status[i] === STATUS.LEFT) {
      continue;
    }
    const key = `${reg.kinds[i]}:${reg.info[i].id}`;
    m.set(key, { status: s.status[i], since: s.since[i], restarts: s.restarts[i] });
  }
  return m;
}

function toPanel(records: readonly object[]): TimelineEvent[] {
  return records.map((rec) => {
    const parsed = parseEventObject(JSON.parse(JSON.stringify(rec)));
    if (!parsed.ok || !parsed.event) {
      throw new Error(`panel could not parse ${JSON.stringify(rec)}: ${parsed.ok ? 'not an event' : parsed.error}`);
    }
    return parsed.event;
  });
}

/** Applies the stream to the collector; returns what it accepted (what reaches Loki) and its state after each. */
function runCollector(records: readonly ContractRecord[]) {
  const state = new TopologyState({ maxExitedActors: 1_000_000 });
  const accepted: ContractRecord[] = [];
  const after: Array<{ time: number; view: Map<string, Seen>; state: TopologyState }> = [];
  for (const rec of records) {
    if (!state.apply(rec).applied) {
      continue;
    }
    accepted.push(rec);
    after.push({
      time: Date.parse(rec.time),
      view: oracleView(state),
      state: TopologyState.fromKeyframe(state.keyframe('c', 0), { maxExitedActors: 1_000_000 }),
    });
  }
  return { accepted, after };
}

/** The collector's state at t: after the last accepted record with time <= t. */
function oracleAt(after: ReturnType<typeof runCollector>['after'], t: number): Map<string, Seen> {
  let view = new Map<string, Seen>();
  for (const a of after) {
    if (a.time > t) {
      break;
    }
    view = a.view;
  }
  return view;
}

/** Keyframe node entries carry no `since` (the panel stamps them at the keyframe's time): compare nodes without it. */
const withoutNodeSince = (m: Map<string, Seen>) =>
  new Map([...m].map(([k, v]) => [k, k.startsWith('node:') ? { ...v, since: NaN } : v]));

describe('TimelineIndex applies the contract as the collector does (oracle: collector TopologyState)', () => {
  it('property: snapshotAt(t) == TopologyState after the records <= t, at random instants', () => {
    let unknownSeen = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { accepted, after } = runCollector(randomRecords(seed, 400));
      const index = TimelineIndex.of({ events: toPanel(accepted), keyframeEvery: 5 + seed });
      const end = after[after.length - 1].time;
      const r = rng(seed * 31);
      for (let q = 0; q < 60; q++) {
        const t = r() < 0.3 ? after[Math.floor(r() * after.length)].time : T0 - 1000 + r() * (end - T0 + 2000);
        const expected = oracleAt(after, t);
        unknownSeen += [...expected.values()].filter((v) => v.status === STATUS.UNKNOWN).length;
        expect(panelView(index, t)).toEqual(expected);
      }
    }
    expect(unknownSeen).toBeGreaterThan(0);
  });

  it('property: a collector keyframe, split into parts, plus the records after it gives the collector state', () => {
    let multiPart = 0;
    for (let seed = 100; seed < 120; seed++) {
      const { accepted, after } = runCollector(randomRecords(seed, 300));
      const cut = 50 + (seed % 100);
      const head = after[cut];
      // parts of 700 bytes so even this small state spans several; shuffled as Loki may return them
      const parts = splitKeyframe(head.state.keyframe('collector@h/1-1', 0, new Date(head.time).toISOString()), 1, 700);
      multiPart += parts.length > 1 ? 1 : 0;
      const events = [...toPanel(parts).reverse(), ...toPanel(accepted.slice(cut + 1))];
      const index = TimelineIndex.of({ events, keyframeEvery: 16 });
      expect(index.incompleteKeyframes).toEqual([]);
      const r = rng(seed);
      for (let q = 0; q < 30; q++) {
        const t = head.time + r() * (after[after.length - 1].time - head.time + 1000);
        expect(withoutNodeSince(panelView(index, t))).toEqual(withoutNodeSince(oracleAt(after, t)));
      }
    }
    expect(multiPart).toBeGreaterThan(10);
  });

  it('a keyframe missing a part is not applied and is reported with the span it affects', () => {
    const { after } = runCollector(randomRecords(7, 300));
    const a = after[Math.floor(after.length / 3)];
    const b = after[Math.floor((2 * after.length) / 3)];
    const first = splitKeyframe(a.state.keyframe('c@h', 0, new Date(a.time).toISOString()), 1, 1024);
    const second = splitKeyframe(b.state.keyframe('c@h', 0, new Date(b.time).toISOString()), 1 + first.length, 1024);
    const index = TimelineIndex.of({ events: toPanel([...first.filter((p) => p.part!.index !== 1), ...second]) });
    expect(index.incompleteKeyframes).toEqual([
      {
        emitter: 'c@h',
        id: 'c@h#1',
        time: a.time,
        count: first.length,
        received: first.length - 1,
        until: b.time,
        conflict: undefined,
      },
    ]);
    // nothing of the incomplete keyframe was applied: before the second keyframe the panel knows no entity
    const s = index.snapshotAt(b.time - 1);
    expect([...s.status].every((st) => st === STATUS.ABSENT)).toBe(true);
    expect(panelView(index, b.time).size).toBe(oracleView(b.state).size);
  });
});
