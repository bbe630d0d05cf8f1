import { GEOMETRY } from '../model/layout';
import { Scene } from '../model/scene';
import { Drawn } from './drawnState';
import { strokeOf } from './edges';
import { LOOK } from './presence';
import { View } from './view';

/** A screen rectangle (CSS px): x, y, w, h. */
export type Cell = [number, number, number, number];

/** Above this many changed entities the whole layer is redrawn: the clip would cost more than it saves. */
const MAX_CELLS = 400;
/** Screen px around an entity's box that its drawing may reach (flash ring, thick border, antialiasing). */
const MARGIN = 6;

function sameStrokes(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) {
    if (a[k] !== b[k] && strokeOf(a[k]) !== strokeOf(b[k])) {
      return false;
    }
  }
  return true;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) {
    if (a[k] !== b[k]) {
      return false;
    }
  }
  return true;
}

/**
 * The screen cells a layer drawn from `was` must repaint to show `now` in the same view, or undefined when the
 * whole layer must be redrawn. Only an entity's own box depends on its look unless it appears or disappears (then
 * edges, labels and counts change too); edges depend on their rates only through their strokes, except when the
 * busiest node pairs are chosen by rate (`ranked`: some were left out).
 */
export function changedCells(scene: Scene, view: View, was: Drawn, now: Drawn, ranked: boolean): Cell[] | undefined {
  if (!sameStrokes(was.rates, now.rates) || !sameStrokes(was.nodeRates, now.nodeRates)) {
    return undefined;
  }
  if (ranked && !sameValues(was.nodeRates, now.nodeRates)) {
    return undefined;
  }
  const reg = scene.index.registry;
  const s = view.scale;
  const cells: Cell[] = [];
  for (let i = 0; i < now.look.length; i++) {
    const a = was.look[i];
    const b = now.look[i];
    if (a === b) {
      continue;
    }
    if (a === LOOK.HIDDEN || b === LOOK.HIDDEN || cells.length >= MAX_CELLS) {
      return undefined;
    }
    const x = (scene.px[i] - view.x) * s;
    const y = (scene.py[i] - view.y) * s;
    if (reg.kinds[i] === 'node') {
      const { boxW, boxH } = scene.layout;
      cells.push([x - MARGIN, y - MARGIN, boxW * s + 2 * MARGIN, boxH * s + 2 * MARGIN]);
    } else {
      const half = (GEOMETRY.actor * s) / 2 + MARGIN;
      cells.push([x - half, y - half, 2 * half, 2 * half]);
    }
  }
  return cells;
}

/** Clips `ctx` (drawn at `dpr` device px per CSS px) to the cells, their edges on whole device pixels so that
 * what is drawn inside is exactly what a full redraw draws there. */
export function clipToCells(ctx: CanvasRenderingContext2D, cells: Cell[], dpr: number): void {
  const path = new Path2D();
  for (const [x, y, w, h] of cells) {
    const x0 = Math.floor(x * dpr) / dpr;
    const y0 = Math.floor(y * dpr) / dpr;
    path.rect(x0, y0, Math.ceil((x + w) * dpr) / dpr - x0, Math.ceil((y + h) * dpr) / dpr - y0);
  }
  ctx.clip(path);
}
