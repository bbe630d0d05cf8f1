import { Scene } from '../model/scene';
import { edgeWidth, particleCount, particleSpeed } from '../model/lod';
import { LOOK } from './presence';
import { Palette } from './palette';

/** Above this many actor edges in view, edges between nodes are aggregated to node edges. */
export const EDGE_BUDGET = 3000;
/** At most this many node-to-node edges (the busiest) are drawn per frame; the rest are counted. */
export const NODE_EDGE_BUDGET = 2500;
/** At most this many edges get a thick (rate-scaled) stroke per frame; the rest are hairlines. */
const THICK_BUDGET = 600;
const MAX_PARTICLES = 8_000;
const WIDTH_BUCKETS = [1, 2, 3.5, 5.5, 8];

export type EdgeMode = 'node' | 'mixed' | 'actor';

export interface EdgeFrame {
  scene: Scene;
  look: Uint8Array;
  rates: Float64Array;
  nodeRates: Float64Array;
  phases: Float32Array;
  palette: Palette;
  particles: boolean;
  /** filled with the segments whose particles move each frame */
  segments: ParticleSegments;
  /** viewport in world units and the world→screen mapping */
  vx0: number;
  vy0: number;
  vx1: number;
  vy1: number;
  scale: number;
}

export interface EdgeStats {
  mode: EdgeMode;
  edges: number;
  particles: number;
  /** quieter node-to-node edges left out at this zoom (over NODE_EDGE_BUDGET) */
  omitted: number;
}

/** Screen-space segments that carry particles: [x1, y1, x2, y2, count, speed, phase] per edge. */
export class ParticleSegments {
  data = new Float32Array(7 * 1024);
  length = 0;
  total = 0;

  reset() {
    this.length = 0;
    this.total = 0;
  }

  push(x1: number, y1: number, x2: number, y2: number, count: number, speed: number, phase: number) {
    if ((this.length + 1) * 7 > this.data.length) {
      const d = new Float32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data.set([x1, y1, x2, y2, count, speed, phase], this.length * 7);
    this.length++;
    this.total += count;
  }
}

/**
 * Calls at(x, y) with the screen position of every particle at animation time `anim` (seconds) that lies inside
 * the width × height the segments were drawn in. Segments run to their edges' ends, off the canvas too, but the
 * edges are rasterised only inside it: while the cached layer is shown panned, zoomed out or refitted (before
 * its redraw), a particle outside that area would float where no edge is drawn.
 */
export function forEachParticle(
  segs: ParticleSegments,
  anim: number,
  width: number,
  height: number,
  at: (x: number, y: number) => void
): void {
  const d = segs.data;
  for (let i = 0; i < segs.length; i++) {
    const o = i * 7;
    const n = d[o + 4];
    for (let q = 0; q < n; q++) {
      const u = (anim * d[o + 5] + q / n + d[o + 6]) % 1;
      const x = d[o] + (d[o + 2] - d[o]) * u;
      const y = d[o + 1] + (d[o + 3] - d[o + 1]) * u;
      if (x >= 0 && y >= 0 && x <= width && y <= height) {
        at(x, y);
      }
    }
  }
}

/** Draws the moving particles for one animation frame (cheap: the rest of the scene is cached). */
export function drawParticles(
  ctx: CanvasRenderingContext2D,
  segs: ParticleSegments,
  anim: number,
  width: number,
  height: number,
  color: string,
  size: number
): void {
  const dots = new Path2D();
  forEachParticle(segs, anim, width, height, (x, y) => dots.rect(x - size / 2, y - size / 2, size, size));
  ctx.fillStyle = color;
  ctx.fill(dots);
}

function bucket(w: number): number {
  let b = 0;
  while (b < WIDTH_BUCKETS.length - 1 && WIDTH_BUCKETS[b] < w) {
    b++;
  }
  return b;
}

/** The stroke an edge at `rate` is drawn with (0: a hairline): edges whose rates keep their strokes look the same. */
export function strokeOf(rate: number): number {
  return bucket(edgeWidth(rate));
}

let candidates = new Int32Array(1024);

/**
 * Draws edges with level of detail: actor-to-actor edges when at most EDGE_BUDGET are in view;
 * otherwise ('mixed', or 'node' when zoomed out) edges between nodes are summed per node pair, the
 * NODE_EDGE_BUDGET busiest pairs are drawn and the rest counted. Particles follow the rate.
 */
export function drawEdges(ctx: CanvasRenderingContext2D, f: EdgeFrame, nodeLevel: boolean): EdgeStats {
  const { scene, look, vx0, vy0, vx1, vy1, scale: s } = f;
  const e = scene.edges;
  const { px, py } = scene;
  const bw = scene.layout.boxW;
  const bh = scene.layout.boxH;
  const inView = (x1: number, y1: number, x2: number, y2: number) =>
    !(Math.max(x1, x2) < vx0 || Math.min(x1, x2) > vx1 || Math.max(y1, y2) < vy0 || Math.min(y1, y2) > vy1);

  // actor edges in view
  let count = 0;
  if (!nodeLevel) {
    if (candidates.length < e.size) {
      candidates = new Int32Array(e.size);
    }
    for (let k = 0; k < e.size; k++) {
      const a = e.from[k];
      const b = e.to[k];
      if (look[a] !== LOOK.HIDDEN && look[b] !== LOOK.HIDDEN && inView(px[a], py[a], px[b], py[b])) {
        candidates[count++] = k;
      }
    }
  }
  const mode: EdgeMode = nodeLevel ? 'node' : count > EDGE_BUDGET ? 'mixed' : 'actor';
  const stats: EdgeStats = { mode, edges: 0, particles: 0, omitted: 0 };
  const hair = new Path2D();
  const thick: Path2D[] = WIDTH_BUCKETS.map(() => new Path2D());
  let thickCount = 0;
  f.segments.reset();
  const sx = (x: number) => (x - vx0) * s;
  const sy = (y: number) => (y - vy0) * s;

  const line = (
    x1: number,
    y1: number,
    x2: number,
    y2: number,
    rate: number,
    phase: number,
    withParticles: boolean
  ) => {
    stats.edges++;
    const b = strokeOf(rate);
    const p = b > 0 && thickCount < THICK_BUDGET ? thick[b] : hair;
    if (p !== hair) {
      thickCount++;
    }
    p.moveTo(sx(x1), sy(y1));
    p.lineTo(sx(x2), sy(y2));
    if (withParticles && f.particles && rate > 0 && stats.particles < MAX_PARTICLES) {
      const n = particleCount(rate);
      f.segments.push(sx(x1), sy(y1), sx(x2), sy(y2), n, particleSpeed(rate), phase);
      stats.particles += n;
    }
  };

  if (mode === 'actor') {
    for (let i = 0; i < count; i++) {
      const k = candidates[i];
      line(px[e.from[k]], py[e.from[k]], px[e.to[k]], py[e.to[k]], f.rates[k], f.phases[k], true);
    }
  } else {
    // edges inside a node are only drawn when zoomed in ('actor' mode); here node pairs carry the flow
    const pairs: number[] = [];
    for (let k = 0; k < e.nodeFrom.length; k++) {
      const a = e.nodeFrom[k];
      const b = e.nodeTo[k];
      if (look[a] === LOOK.HIDDEN || look[b] === LOOK.HIDDEN) {
        continue;
      }
      if (inView(px[a] + bw / 2, py[a] + bh / 2, px[b] + bw / 2, py[b] + bh / 2)) {
        pairs.push(k);
      }
    }
    if (pairs.length > NODE_EDGE_BUDGET) {
      pairs.sort((x, y) => f.nodeRates[y] - f.nodeRates[x]);
      stats.omitted = pairs.length - NODE_EDGE_BUDGET;
      pairs.length = NODE_EDGE_BUDGET;
    }
    for (const k of pairs) {
      const a = e.nodeFrom[k];
      const b = e.nodeTo[k];
      line(
        px[a] + bw / 2,
        py[a] + bh / 2,
        px[b] + bw / 2,
        py[b] + bh / 2,
        f.nodeRates[k],
        f.phases[k % f.phases.length] ?? 0,
        true
      );
    }
  }
  ctx.strokeStyle = f.palette.edge;
  ctx.lineWidth = 1;
  ctx.stroke(hair);
  thick.forEach((p, i) => {
    if (i > 0) {
      ctx.lineWidth = WIDTH_BUCKETS[i];
      ctx.stroke(p);
    }
  });
  return stats;
}
