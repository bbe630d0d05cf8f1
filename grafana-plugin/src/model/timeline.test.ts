import { LIFECYCLE_TYPES, LifecycleEvent, LifecycleType, TimelineEvent } from './contract';
import { OP, STATUS } from './ops';
import { TimelineIndex } from './timeline';
import { pick, rng } from '../fixtures/random';

const TYPES: LifecycleType[] = [...LIFECYCLE_TYPES];

function randomEvents(seed: number, n: number): LifecycleEvent[] {
  const r = rng(seed);
  const out: LifecycleEvent[] = [];
  for (let i = 0; i < n; i++) {
    const type = pick(r, TYPES);
    // coarse times so that many events share a timestamp; not sorted
    const time = Math.floor(r() * 200) * 1000;
    const ev: LifecycleEvent = { type, time, emitter: 'e', seq: i };
    const nodeId = `n${Math.floor(r() * 5)}`;
    if (type.startsWith('node.')) {
      ev.node = { id: nodeId, kind: 'host', layer: 'hardware', name: nodeId };
    } else if (type.startsWith('actor.')) {
      ev.actor = { id: `a${Math.floor(r() * 30)}`, kind: 'w', layer: 'harmonix', name: 'x', node: nodeId };
      if (type === 'actor.restarted' && r() < 0.5) {
        ev.restartCount = Math.floor(r() * 10);
      }
    }
    out.push(ev);
  }
  // one emitter numbers its records in the order they happened (contract: its seq order is their order)
  [...out].sort((a, b) => a.time - b.time).forEach((ev, i) => (ev.seq = i + 1));
  return out;
}

interface RefState {
  status: number;
  since: number;
  restarts: number;
}

/**
 * Reference semantics written directly against the contract (revision 1.1), independent of the index: node.failed
 * turns the running actors on the node unknown, node.left ends them. (The collector's own TopologyState is the
 * oracle of timeline-contract.test.ts; this fold also covers streams the collector would reject.)
 */
function fold(events: TimelineEvent[], t: number): Map<string, RefState> {
  const sorted = events.map((e, i) => ({ e, i })).filter((x) => x.e.time <= t);
  sorted.sort((a, b) => a.e.time - b.e.time || a.i - b.i);
  const m = new Map<string, RefState>();
  const set = (key: string, status: number, time: number, restarts?: number, always = false) => {
    const cur = m.get(key) ?? { status: 0, since: 0, restarts: 0 };
    if (restarts !== undefined) {
      cur.restarts = restarts;
    }
    if (cur.status !== status || always) {
      cur.status = status;
      cur.since = time;
    }
    m.set(key, cur);
  };
  const nodeOf = new Map<string, string>();
  const actorsOn = (node: string) => [...nodeOf].filter(([, n]) => n === node).map(([a]) => a);
  for (const { e } of sorted) {
    if (e.type === 'keyframe') {
      continue;
    }
    const nk = e.node ? `node:${e.node.id}` : '';
    const ak = e.actor ? `actor:${e.actor.id}` : '';
    if (e.type === 'actor.spawned') {
      nodeOf.set(ak, e.actor!.node);
    }
    switch (e.type) {
      case 'node.joined':
      case 'node.recovered':
        set(nk, STATUS.UP, e.time);
        break;
      case 'node.failed':
        if (m.get(nk)?.status !== STATUS.DOWN) {
          for (const a of actorsOn(e.node!.id)) {
            if (m.get(a)?.status === STATUS.UP) {
              set(a, STATUS.UNKNOWN, e.time);
            }
          }
        }
        set(nk, STATUS.DOWN, e.time);
        break;
      case 'node.left':
        if (m.get(nk)?.status !== STATUS.LEFT) {
          for (const a of actorsOn(e.node!.id)) {
            set(a, STATUS.ABSENT, e.time, 0);
            nodeOf.delete(a);
          }
        }
        set(nk, STATUS.LEFT, e.time);
        break;
      case 'actor.spawned':
        set(ak, STATUS.UP, e.time, e.restartCount);
        break;
      case 'actor.exited':
        set(ak, STATUS.DOWN, e.time, e.restartCount);
        break;
      case 'actor.restarted':
        set(ak, STATUS.UP, e.time, e.restartCount ?? (m.get(ak)?.restarts ?? 0) + 1, true);
        break;
    }
  }
  return m;
}

function fromIndex(index: TimelineIndex, t: number): Map<string, RefState> {
  const s = index.snapshotAt(t);
  const m = new Map<string, RefState>();
  const reg = index.registry;
  for (let i = 0; i < reg.size; i++) {
    if (s.status[i] !== STATUS.ABSENT || s.restarts[i] !== 0) {
      m.set(`${reg.kinds[i]}:${reg.info[i].id}`, { status: s.status[i], since: s.since[i], restarts: s.restarts[i] });
    }
  }
  return m;
}

function strip(m: Map<string, RefState>): Map<string, RefState> {
  return new Map([...m].filter(([, v]) => v.status !== 0 || v.restarts !== 0));
}

describe('TimelineIndex', () => {
  it('property: stateAt(t) equals folding all events <= t (random streams, random t, small K)', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const events = randomEvents(seed, 300);
      const index = TimelineIndex.of({ events, keyframeEvery: 7 + seed });
      const r = rng(seed * 7919);
      for (let q = 0; q < 40; q++) {
        const t = r() < 0.2 ? Math.floor(r() * 200) * 1000 : r() * 210_000 - 5000;
        expect(fromIndex(index, t)).toEqual(strip(fold(events, t)));
      }
    }
  });

  it('stateAt (cursor: forward playback and backward jumps) equals a fresh snapshot at every t', () => {
    const events = randomEvents(99, 2000);
    const a = TimelineIndex.of({ events, keyframeEvery: 64 });
    const b = TimelineIndex.of({ events, keyframeEvery: 64 });
    const copy = (s: ReturnType<TimelineIndex['stateAt']>) => ({
      status: s.status.slice(),
      since: s.since.slice(),
      lastOp: s.lastOp.slice(),
      restarts: s.restarts.slice(),
    });
    for (let t = 0; t <= 200_000; t += 1500) {
      expect(copy(a.stateAt(t))).toEqual(b.snapshotAt(t)); // sequential: folds forward from the cursor
    }
    for (const t of [150_000, 3_000, 199_000, 77_777, 77_778]) {
      expect(copy(a.stateAt(t))).toEqual(b.snapshotAt(t)); // jumps: from the nearest keyframe
    }
  });

  it('turns metric samples into implicit transitions (up, failed, recovered, gone at a gap)', () => {
    const times = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((s) => s * 1000);
    const values = [1, 1, 0, 0, 1, 1, null, null, null, null, null];
    const index = TimelineIndex.of({
      events: [],
      nodes: [{ entity: { id: 'n', kind: 'h', layer: 'hardware', name: 'n' }, times, values }],
      rangeTo: 100_000,
    });
    const at = (t: number) => index.snapshotAt(t).status[0];
    expect(at(-1)).toBe(STATUS.ABSENT);
    expect(at(5000)).toBe(STATUS.UP);
    expect(at(25_000)).toBe(STATUS.DOWN);
    expect(at(45_000)).toBe(STATUS.UP);
    expect(index.snapshotAt(45_000).lastOp[0]).toBe(OP.NODE_RECOVERED);
    expect(at(65_000)).toBe(STATUS.LEFT);
  });

  it('entities present at the range start are not flashed as joins; later ones are', () => {
    const entity = (id: string) => ({ id, kind: 'h', layer: 'hardware', name: id });
    const index = TimelineIndex.of({
      events: [],
      nodes: [
        { entity: entity('early'), times: [0, 10_000, 20_000], values: [1, 1, 1] },
        { entity: entity('late'), times: [10_000, 20_000], values: [1, 1] },
      ],
      rangeFrom: 0,
      rangeTo: 20_000,
    });
    const s = index.snapshotAt(20_000);
    expect(s.status[index.registry.nodeIndex('early')!]).toBe(STATUS.UP);
    expect(s.lastOp[index.registry.nodeIndex('early')!]).toBe(0);
    expect(s.lastOp[index.registry.nodeIndex('late')!]).toBe(OP.NODE_JOINED);
  });

  it('treats a series that stops before the range end as gone', () => {
    const index = TimelineIndex.of({
      events: [],
      actors: [
        {
          entity: { id: 'a', kind: 'w', layer: 'harmonix', name: 'a', node: 'n' },
          times: [0, 1000, 2000],
          values: [1, 1, 1],
        },
      ],
      rangeTo: 60_000,
    });
    const a = index.registry.actorIndex('a')!;
    expect(index.snapshotAt(2000).status[a]).toBe(STATUS.UP);
    expect(index.snapshotAt(10_000).status[a]).toBe(STATUS.DOWN);
    // the actor's node is registered implicitly so the layout can place it
    expect(index.registry.nodeIndex('n')).toBeDefined();
  });

  it('a missing step ends a series one step after its last sample; a single-sample series ends too', () => {
    const step = 15_000;
    const entity = (id: string) => ({ id, kind: 'w', layer: 'harmonix', name: id, node: 'n' });
    const index = TimelineIndex.of({
      events: [],
      actors: [
        // two steps missing (10:00:30, 10:00:45): gone from 10:00:30, back at 10:01:00
        { entity: entity('gap'), times: [0, 15_000, 60_000, 75_000, 90_000], values: [1, 1, 1, 1, 1] },
        { entity: entity('once'), times: [30_000], values: [1] },
      ],
      rangeFrom: 0,
      rangeTo: 90_000,
    });
    const reg = index.registry;
    const at = (id: string, t: number) => index.snapshotAt(t).status[reg.actorIndex(id)!];
    expect(at('gap', 29_999)).toBe(STATUS.UP);
    expect(at('gap', 30_000)).toBe(STATUS.DOWN);
    expect(index.snapshotAt(60_000).lastOp[reg.actorIndex('gap')!]).toBe(OP.ACTOR_SPAWNED);
    expect(at('gap', 60_000)).toBe(STATUS.UP);
    expect(at('once', 30_000)).toBe(STATUS.UP);
    expect(at('once', 30_000 + step - 1)).toBe(STATUS.UP);
    expect(at('once', 30_000 + step)).toBe(STATUS.DOWN);
  });

  it('applies contract keyframes', () => {
    const index = TimelineIndex.of({
      events: [
        {
          type: 'keyframe',
          time: 10,
          emitter: 'c',
          seq: 1,
          nodes: [{ id: 'n', kind: 'h', layer: 'os', name: 'n', state: 'failed' }],
          actors: [{ id: 'a', kind: 'w', layer: 'harmonix', name: 'a', node: 'n', state: 'running', restarts: 4 }],
        },
      ],
    });
    const s = index.snapshotAt(10);
    expect(s.status[index.registry.nodeIndex('n')!]).toBe(STATUS.DOWN);
    expect(s.restarts[index.registry.actorIndex('a')!]).toBe(4);
  });

  it('expands a keyframe of 10,000 actors in many steps, to the same state as one pass', () => {
    const actors = Array.from({ length: 10_000 }, (_, i) => ({
      id: `a${i}`,
      kind: 'w',
      layer: 'harmonix',
      name: `a${i}`,
      node: 'n',
      state: i % 3 === 0 ? ('exited' as const) : ('running' as const),
      restarts: i % 7,
    }));
    const input = {
      events: [
        {
          type: 'keyframe' as const,
          time: 10,
          emitter: 'c',
          seq: 1,
          nodes: [{ id: 'n', kind: 'h', layer: 'os', name: 'n', state: 'up' as const }],
          actors,
        },
      ],
    };
    const steps = TimelineIndex.steps(input);
    let pauses = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) {
      pauses++;
    }
    // a pause every 2,048 ops while the keyframe is expanded, besides the build's phase pauses
    expect(pauses).toBeGreaterThanOrEqual(10_000 / 2048 + 4);
    const stepped = r.value.snapshotAt(10);
    const once = TimelineIndex.of(input).snapshotAt(10);
    expect(Array.from(stepped.status)).toEqual(Array.from(once.status));
    expect(Array.from(stepped.restarts)).toEqual(Array.from(once.restarts));
    const a = r.value.registry.actorIndex('a3')!;
    expect(stepped.status[a]).toBe(STATUS.DOWN);
    expect(stepped.restarts[a]).toBe(3);
  });

  it('steps to previous/next event times and bins density', () => {
    const index = TimelineIndex.of({ events: randomEvents(3, 50) });
    const times = [...index.time];
    const mid = times[20];
    expect(index.nextEventTime(mid)).toBe(times.find((t) => t > mid));
    expect(index.prevEventTime(mid)).toBe([...times].reverse().find((t) => t < mid));
    expect(index.nextEventTime(1e12)).toBeUndefined();
    const bins = index.density(0, 200_000, 10);
    expect(bins.reduce((a, b) => a + b, 0)).toBe(times.filter((t) => t <= 200_000).length);
  });
});
