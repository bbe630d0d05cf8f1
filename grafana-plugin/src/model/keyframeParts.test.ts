import { buildScene } from './scene';
import { STATUS } from './ops';
import { parseEventLine } from './parseEvent';
import { defaultOptions } from '../types';
import { ev, lokiFrame } from '../fixtures/frames';
import { formatProblem } from './problems';

const node = (id: string, state = 'up') => ({ id, kind: 'vm', layer: 'mesh', name: id, state });
const actor = (id: string, on: string, state = 'running') => ({
  id,
  kind: 'worker',
  layer: 'mesh',
  name: id,
  node: on,
  state,
  restarts: 0,
});

/** Keyframe parts as Loki lines (contract 1.1): the same time and emitter, consecutive seqs, entities split. */
function parts(time: number, firstSeq: number, entities: Array<{ nodes: object[]; actors: object[] }>) {
  const id = `c@h#${firstSeq}`;
  return entities.map((e, index) =>
    ev('keyframe', time, {
      emitter: 'c@h',
      seq: firstSeq + index,
      part: { id, index, count: entities.length },
      flows: [],
      ...e,
    })
  );
}

describe('keyframe parts in the panel', () => {
  it('reassembles parts (in any order) into one snapshot, with the unknown actor state', () => {
    const lines = parts(10_000, 1, [
      { nodes: [node('n1', 'failed'), node('n2')], actors: [] },
      { nodes: [], actors: [actor('a1', 'n1', 'unknown'), actor('a2', 'n1', 'exited')] },
      { nodes: [], actors: [actor('a3', 'n2')] },
    ]).reverse();
    const scene = buildScene([lokiFrame('events', lines)], defaultOptions, 0, 60_000);
    expect(scene.mapped.problems.map(formatProblem).filter((p) => p.startsWith('Keyframe'))).toEqual([]);
    const s = scene.index.snapshotAt(20_000);
    const reg = scene.index.registry;
    expect(['a1', 'a2', 'a3'].map((id) => s.status[reg.actorIndex(id)!])).toEqual([
      STATUS.UNKNOWN,
      STATUS.DOWN,
      STATUS.UP,
    ]);
    expect(s.status[reg.nodeIndex('n1')!]).toBe(STATUS.DOWN);
  });

  it('a keyframe with a part missing is not applied and is named with the span it affects', () => {
    const first = parts(10_000, 1, [
      { nodes: [node('n1')], actors: [] },
      { nodes: [], actors: [actor('a1', 'n1')] },
      { nodes: [], actors: [actor('a2', 'n1')] },
    ]);
    const second = parts(40_000, 4, [{ nodes: [node('n1')], actors: [actor('a1', 'n1')] }]);
    const scene = buildScene([lokiFrame('events', [first[0], first[2], ...second])], defaultOptions, 0, 60_000);
    expect(scene.mapped.problems.map(formatProblem)).toContain(
      'Keyframe c@h#1 at 1970-01-01T00:00:10.000Z is incomplete (2 of 3 parts received); it was not applied, so the state over 1970-01-01T00:00:10.000Z – 1970-01-01T00:00:40.000Z comes from earlier keyframes and the lifecycle records alone'
    );
    const reg = scene.index.registry;
    expect(scene.index.snapshotAt(20_000).status[reg.nodeIndex('n1')!]).toBe(STATUS.ABSENT);
    expect(scene.index.snapshotAt(40_000).status[reg.actorIndex('a1')!]).toBe(STATUS.UP);
  });

  it('names the field of a malformed part or actor state, and keeps the rest', () => {
    const base = { type: 'keyframe', time: 1, emitter: 'c', seq: 1, nodes: [], actors: [] };
    expect(parseEventLine(JSON.stringify({ ...base, part: { id: 'c#1', index: 3, count: 3 } }))).toEqual({
      ok: false,
      error: 'keyframe: "part.index"/"part.count" must be integers with 0 <= index < count (got 3 of 3)',
    });
    expect(parseEventLine(JSON.stringify({ ...base, part: { index: 0, count: 1 } }))).toEqual({
      ok: false,
      error: 'keyframe: "part" needs a non-empty string "part.id"',
    });
    expect(parseEventLine(JSON.stringify({ ...base, actors: [actor('a', 'n', 'zombie')] }))).toEqual({
      ok: false,
      error: 'keyframe: actors[].state "zombie" is not one of running, exited, unknown',
    });
    const scene = buildScene(
      [
        lokiFrame('events', [
          ev('keyframe', 5, { ...base, part: { id: 'x', index: 9, count: 1 } }),
          ev('node.joined', 6, { node: node('n9') }),
        ]),
      ],
      defaultOptions,
      0,
      10
    );
    expect(scene.mapped.malformedEvents).toBe(1);
    expect(scene.index.snapshotAt(10).status[scene.index.registry.nodeIndex('n9')!]).toBe(STATUS.UP);
  });
});
