import { GEOMETRY } from '../model/layout';
import { actorLabelRoom, fitLabel, MIN_LABEL_PX } from './labels';

/** A canvas context whose text is `px * 0.6` wide per character at the current font size. */
function monoContext(): CanvasRenderingContext2D {
  const ctx = { font: '10px sans-serif' } as { font: string; measureText: (t: string) => { width: number } };
  ctx.measureText = (t: string) => ({ width: t.length * parseFloat(ctx.font) * 0.6 });
  return ctx as unknown as CanvasRenderingContext2D;
}

describe('actorLabelRoom', () => {
  const cell = GEOMETRY.actor + GEOMETRY.actorGap;
  // one row of slots 0, 1 and 3 (slot 2 empty) and a second row, in a node whose inner edge is at 100
  const px = new Float32Array([5, 5 + cell, 5 + 3 * cell, 5]);
  const py = new Float32Array([5, 5, 5, 5 + cell]);
  const room = actorLabelRoom([2, 0, 3, 1], px, py, () => 100);

  it('stops a label before the next shown actor in its row', () => {
    expect(room.get(0)).toBeCloseTo(cell - GEOMETRY.actorGap / 3);
  });
  it('lends an empty slot to the actor left of it', () => {
    expect(room.get(1)).toBeCloseTo(2 * cell - GEOMETRY.actorGap / 3);
  });
  it("runs to the node's inner edge for the last actor of a row", () => {
    expect(room.get(2)).toBeCloseTo(100 - (px[2] - GEOMETRY.actor / 2));
    expect(room.get(3)).toBeCloseTo(100 - (px[3] - GEOMETRY.actor / 2));
  });
});

describe('fitLabel', () => {
  it('keeps the largest font at which the whole name fits', () => {
    const ctx = monoContext();
    expect(fitLabel(ctx, 'worker-1', 8 * 11 * 0.6, 12)).toBe('worker-1');
    expect(ctx.font).toBe('11px sans-serif');
  });
  it('cuts only when the name does not fit at the smallest font', () => {
    const ctx = monoContext();
    const text = fitLabel(ctx, 'worker-1', 5 * MIN_LABEL_PX * 0.6, 12);
    expect(text.endsWith('…')).toBe(true);
    expect(ctx.measureText(text).width).toBeLessThanOrEqual(5 * MIN_LABEL_PX * 0.6);
    expect(ctx.font).toBe(`${MIN_LABEL_PX}px sans-serif`);
  });
});
