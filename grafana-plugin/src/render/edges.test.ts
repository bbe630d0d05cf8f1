import { ParticleSegments, forEachParticle } from './edges';

describe('forEachParticle', () => {
  // one edge from inside a 100 × 50 layer to far right of it, 6 particles spread along it
  const segs = new ParticleSegments();
  segs.push(50, 25, 650, 25, 6, 0.1, 0);

  it('gives only the particles inside the area the segments were drawn in', () => {
    const xs: number[] = [];
    forEachParticle(segs, 0, 100, 50, (x, y) => {
      xs.push(x);
      expect(y).toBe(25);
    });
    // u = 0, 1/6 … 5/6: x = 50, 150, … 550; only x = 50 is inside the 100 px wide layer
    expect(xs).toEqual([50]);
  });

  it('gives every particle when the whole edge is inside', () => {
    let n = 0;
    forEachParticle(segs, 0, 700, 50, () => n++);
    expect(n).toBe(6);
  });
});
