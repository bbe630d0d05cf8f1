import { GEOMETRY } from '../model/layout';
import { lastPassing } from '../model/search';

/** Smallest font (px) a label shrinks to before it is truncated. */
export const MIN_LABEL_PX = 9;

const fitCache = new Map<string, string>();

/** Truncates text with an ellipsis to fit maxW px (canvas text; never HTML). */
export function fitText(ctx: CanvasRenderingContext2D, text: string, maxW: number): string {
  const key = `${ctx.font}|${Math.round(maxW)}|${text}`;
  const hit = fitCache.get(key);
  if (hit !== undefined) {
    return hit;
  }
  let out = text;
  if (ctx.measureText(text).width > maxW) {
    const lo = lastPassing(0, text.length, (k) => ctx.measureText(text.slice(0, k) + '…').width <= maxW);
    out = lo > 0 ? text.slice(0, lo) + '…' : '';
  }
  if (fitCache.size > 20_000) {
    fitCache.clear();
  }
  fitCache.set(key, out);
  return out;
}

/**
 * Sets the largest font from `px` down to MIN_LABEL_PX at which `text` fits `maxW`, and returns the
 * text to draw: whole when it fits at some size, otherwise truncated at the smallest size.
 */
export function fitLabel(ctx: CanvasRenderingContext2D, text: string, maxW: number, px: number): string {
  for (let size = Math.floor(px); size >= MIN_LABEL_PX; size--) {
    ctx.font = `${size}px sans-serif`;
    if (ctx.measureText(text).width <= maxW) {
      return text;
    }
  }
  ctx.font = `${MIN_LABEL_PX}px sans-serif`;
  return fitText(ctx, text, maxW);
}

/**
 * Room (world units) for each actor's label, which starts at the actor's left edge: up to the next
 * shown actor in the same row (so labels never run into each other) or the node's inner right edge.
 * Empty slots to the right lend their space, so a name is only cut when it really does not fit.
 */
export function actorLabelRoom(
  actors: number[],
  px: Float32Array,
  py: Float32Array,
  innerRight: (i: number) => number
): Map<number, number> {
  const sorted = [...actors].sort((a, b) => py[a] - py[b] || px[a] - px[b]);
  const room = new Map<number, number>();
  const half = GEOMETRY.actor / 2;
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k];
    const left = px[i] - half;
    let right = innerRight(i);
    const next = sorted[k + 1];
    if (next !== undefined && py[next] === py[i]) {
      right = Math.min(right, px[next] - half - GEOMETRY.actorGap / 3);
    }
    room.set(i, Math.max(0, right - left));
  }
  return room;
}
