import { buildScene } from '../model/scene';
import { actorUp, flowRate, nodeUp } from '../fixtures/frames';
import { defaultOptions } from '../types';
import { Drawn, copyDrawn, emptyDrawn } from './drawnState';
import { changedCells } from './layerCells';
import { LOOK } from './presence';

const T = [0, 60_000];
const scene = buildScene(
  [
    nodeUp('n1', T, [1, 1]),
    nodeUp('n2', T, [1, 1]),
    actorUp('a1', 'n1', T, [1, 1]),
    actorUp('a2', 'n1', T, [1, 1]),
    actorUp('a3', 'n2', T, [1, 1]),
    flowRate('a1', 'a2', 'n1', 'n1', T, [5, 5]),
    flowRate('a1', 'a3', 'n1', 'n2', T, [5, 5]),
  ],
  defaultOptions,
  0,
  60_000
);
const reg = scene.index.registry;
const view = { x: 0, y: 0, scale: 1 };
const [n1, a1, a2] = [reg.nodeIndex('n1')!, reg.actorIndex('a1')!, reg.actorIndex('a2')!];

function drawn(): Drawn {
  const d = emptyDrawn(scene);
  d.look.fill(LOOK.UP);
  d.rates.fill(5);
  return d;
}

describe('changedCells', () => {
  it('gives the cell around each entity whose look changed, and none when nothing did', () => {
    const was = drawn();
    expect(changedCells(scene, view, was, copyDrawn(was), false)).toEqual([]);
    const now = copyDrawn(was);
    now.look[a1] = LOOK.GHOST;
    now.look[n1] = LOOK.FAILED;
    const cells = changedCells(scene, view, was, now, false)!;
    expect(cells).toHaveLength(2);
    const [node, actor] = n1 < a1 ? cells : [cells[1], cells[0]];
    // the node's box and the actor's square, each with the margin its border and flash ring may reach
    expect(node[2]).toBeGreaterThan(scene.layout.boxW);
    expect(node[0]).toBeLessThan(scene.px[n1]);
    expect(actor[0]).toBeLessThan(scene.px[a1] - 5);
    expect(actor[0] + actor[2]).toBeGreaterThan(scene.px[a1] + 5);
  });

  it('asks for a full redraw when an entity appears or disappears (edges, labels and counts change)', () => {
    const was = drawn();
    const now = copyDrawn(was);
    now.look[a2] = LOOK.HIDDEN;
    expect(changedCells(scene, view, was, now, false)).toBeUndefined();
    expect(changedCells(scene, view, now, was, false)).toBeUndefined();
  });

  it('asks for a full redraw when an edge changes stroke, not when its rate stays in the same stroke', () => {
    const was = drawn();
    const same = copyDrawn(was);
    same.rates[0] = 5.1;
    expect(changedCells(scene, view, was, same, false)).toEqual([]);
    const thicker = copyDrawn(was);
    thicker.rates[0] = 5000;
    expect(changedCells(scene, view, was, thicker, false)).toBeUndefined();
  });

  it('asks for a full redraw when node pairs are ranked by rate and a node rate moved', () => {
    const was = drawn();
    expect(was.nodeRates.length).toBe(1);
    was.nodeRates.fill(5);
    const now = copyDrawn(was);
    now.nodeRates.fill(5.1);
    expect(changedCells(scene, view, was, now, false)).toEqual([]);
    expect(changedCells(scene, view, was, now, true)).toBeUndefined();
  });
});
