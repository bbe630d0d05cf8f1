import { fitView } from './view';

const screenY = (v: { y: number; scale: number }, worldY: number) => (worldY - v.y) * v.scale;
const screenX = (v: { x: number; scale: number }, worldX: number) => (worldX - v.x) * v.scale;

describe('fitView', () => {
  it('puts the whole world inside the margins, centred', () => {
    const v = fitView(1000, 500, 800, 600, 16);
    expect(screenX(v, 0)).toBeCloseTo(16);
    expect(screenX(v, 1000)).toBeCloseTo(784);
    expect(screenY(v, 0) + screenY(v, 500)).toBeCloseTo(600, 5);
  });
  it('keeps the top strip free for chrome: nothing of the world is drawn above top + margin', () => {
    for (const [w, h] of [
      [1000, 500],
      [300, 900],
      [50, 50],
    ]) {
      const v = fitView(w, h, 800, 600, 16, 28);
      expect(screenY(v, 0)).toBeGreaterThanOrEqual(16 + 28 - 1e-9);
      expect(screenY(v, h)).toBeLessThanOrEqual(600 - 16 + 1e-9);
      expect(screenX(v, 0)).toBeGreaterThanOrEqual(16 - 1e-9);
      expect(screenX(v, w)).toBeLessThanOrEqual(800 - 16 + 1e-9);
    }
  });
});
