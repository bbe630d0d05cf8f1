import { KeyframeEvent, LifecycleEvent } from './contract';
import { reconcileEmitters, STOPPED_AFTER_INTERVALS } from './emitters';
import { STATUS } from './ops';
import { TimelineIndex } from './timeline';
import { formatProblem } from './problems';

const S = 1000;
const node = (id: string) => ({ id, kind: 'mesh-node', layer: 'mesh', name: id });
const actor = (id: string, n: string) => ({ id, kind: 'worker', layer: 'mesh', name: id, node: n });
const rec = (emitter: string, seq: number, time: number, type: LifecycleEvent['type'], a?: string): LifecycleEvent =>
  a ? { type, time, emitter, seq, actor: actor(a, 'n') } : { type, time, emitter, seq, node: node('n') };
const kf = (
  emitter: string,
  time: number,
  emitters: Record<string, number>,
  actors: KeyframeEvent['actors'] = []
): KeyframeEvent => ({
  type: 'keyframe',
  time,
  emitter,
  seq: 1,
  nodes: [{ ...node('n'), state: 'up' }],
  actors,
  emitters,
});
const summary = (evs: ReturnType<typeof reconcileEmitters>['events']) =>
  evs.map((e) => `${e.type}@${e.time / S}${e.type === 'keyframe' ? '' : `#${e.seq}`}`);

describe('reconcileEmitters (contract 1.2)', () => {
  it("orders one emitter's records by seq, never by their times; a duplicate seq is dropped", () => {
    // the host's clock stepped back 3 s between seq 2 and 3
    const got = reconcileEmitters([
      rec('sdk/1-1', 3, 7 * S, 'actor.exited', 'a'),
      rec('sdk/1-1', 1, 5 * S, 'node.joined'),
      rec('sdk/1-1', 2, 10 * S, 'actor.spawned', 'a'),
      rec('sdk/1-1', 2, 10 * S, 'actor.spawned', 'a'),
    ]);
    expect(summary(got.events)).toEqual(['node.joined@5#1', 'actor.spawned@10#2', 'actor.exited@10#3']);
  });

  it("a keyframe covers its emitters' records up to their seq: covered ones stamped after it are dropped, later ones stamped before it apply after it", () => {
    const c = 'collector@h/1-1';
    const got = reconcileEmitters([
      rec('sdk/2-2', 4, 103 * S, 'actor.exited', 'a'), // clock 5 s ahead: applied before the keyframe, stamped after it
      rec('sdk/2-2', 5, 104 * S, 'actor.spawned', 'a'),
      rec('mesh@h/1-1', 8, 97 * S, 'actor.restarted', 'b'), // clock behind: applied after the keyframe, stamped before it
      kf(c, 100 * S, { 'sdk/2-2': 4, 'mesh@h/1-1': 7 }),
    ]);
    expect(summary(got.events)).toEqual(['keyframe@100', 'actor.restarted@100#8', 'actor.spawned@104#5']);
    expect(got.groups).toEqual([c]);
    expect(got.groupOf).toEqual([0, 0, 0]);
  });

  it('a collector silent for 3 keyframe intervals (from its own keyframes) while another still talks has stopped', () => {
    const a = 'collector@a/1-1';
    const b = 'collector@b/1-1';
    const events = [0, 60, 120, 180, 240, 300, 360].flatMap((t) => [
      kf(a, t * S, {}),
      ...(t <= 120 ? [kf(b, t * S, {})] : []),
    ]);
    const got = reconcileEmitters([...events, rec('mesh@b/1-1', 1, 130 * S, 'node.joined')]);
    expect(got.stops).toEqual([
      {
        group: b,
        index: 1,
        heard: 130 * S,
        at: 130 * S + STOPPED_AFTER_INTERVALS * 60 * S,
        intervalMs: 60 * S,
        until: undefined,
      },
    ]);
    expect(formatProblem({ kind: 'emitter-stopped', stop: { ...got.stops[0], entities: 2 } })).toBe(
      'collector@b/1-1 not heard since 1970-01-01T00:02:10.000Z (3 keyframe intervals of 60 s): its 2 entities are shown as unknown from 1970-01-01T00:05:10.000Z'
    );
  });
});

describe('TimelineIndex over many collectors', () => {
  const old = 'collector@h/1-1';
  const fresh = 'collector@h/2-500000';
  // the old incarnation reports node n with actors a (restarted twice) and b, then is killed at 200 s;
  // the new one (a new emitter id) re-reports n and a at 230 s, not b
  const events = [
    kf(old, 0, { 'mesh@h/1-1': 0 }),
    rec('mesh@h/1-1', 1, 10 * S, 'node.joined'),
    rec('mesh@h/1-1', 2, 10 * S, 'actor.spawned', 'a'),
    rec('mesh@h/1-1', 3, 10 * S, 'actor.spawned', 'b'),
    rec('mesh@h/1-1', 4, 20 * S, 'actor.restarted', 'a'),
    ...[60, 120, 180].map((t) => kf(old, t * S, { 'mesh@h/1-1': 4 })),
    rec('mesh@h/2-500000', 1, 230 * S, 'node.joined'),
    rec('mesh@h/2-500000', 2, 230 * S, 'actor.spawned', 'a'),
    ...[290, 350, 410, 470, 530, 590].map((t) => kf(fresh, t * S, { 'mesh@h/2-500000': 2 })),
  ];
  events[4] = { ...events[4], restartCount: 2 } as LifecycleEvent;
  const index = TimelineIndex.of({ events });
  const at = (t: number, id: string, kind: 'node' | 'actor') => {
    const s = index.snapshotAt(t);
    const i = kind === 'node' ? index.registry.nodeIndex(id)! : index.registry.actorIndex(id)!;
    return [s.status[i], s.restarts[i]];
  };

  it('a restarted collector continues the picture: what it re-reports is its own (restart count from it), drawn once', () => {
    expect(at(220 * S, 'a', 'actor')).toEqual([STATUS.UP, 2]);
    expect(at(240 * S, 'a', 'actor')).toEqual([STATUS.UP, 0]);
    expect(at(240 * S, 'n', 'node')).toEqual([STATUS.UP, 0]);
    expect(index.registry.actors().filter((x) => x.id === 'a')).toHaveLength(1);
  });

  it('what only the stopped incarnation reported becomes unknown 3 intervals after it was last heard, and says so', () => {
    expect(at(359 * S, 'b', 'actor')[0]).toBe(STATUS.UP);
    expect(at(361 * S, 'b', 'actor')[0]).toBe(STATUS.UNKNOWN);
    expect(at(361 * S, 'a', 'actor')[0]).toBe(STATUS.UP);
    expect(index.stops.map((s) => [s.group, s.at / S, s.entities])).toEqual([[old, 360, 1]]);
  });
});
