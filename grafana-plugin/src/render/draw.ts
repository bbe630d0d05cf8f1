import { Scene } from '../model/scene';
import { GEOMETRY } from '../model/layout';
import { DetailLevel, detailLevel, edgeWidth, particleCount, particleSpeed } from '../model/lod';
import { unit } from '../model/hash';
import { LOOK } from './presence';
import { Palette } from './palette';
import { View } from './view';

export interface FrameInput {
  scene: Scene;
  look: Uint8Array;
  rates: Float64Array;
  nodeRates: Float64Array;
  palette: Palette;
  view: View;
  width: number;
  height: number;
  /** animation clock in seconds (wall time; particles move even when the playhead is paused) */
  anim: number;
  particles: boolean;
  showLabels: boolean;
  hovered?: number;
  selected?: number;
  focused?: number;
  selectedEdge?: number;
}

export interface FrameStats {
  level: DetailLevel;
  nodes: number;
  actors: number;
  edges: number;
  particles: number;
}

const MAX_PARTICLES = 40_000;
const MAX_LABELS = 600;
const WIDTH_BUCKETS = [0.5, 1, 2, 3.5, 5.5, 8];

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
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(text.slice(0, mid) + '…').width <= maxW) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    out = lo > 0 ? text.slice(0, lo) + '…' : '';
  }
  if (fitCache.size > 20_000) {
    fitCache.clear();
  }
  fitCache.set(key, out);
  return out;
}

function bucket(w: number): number {
  let b = 0;
  while (b < WIDTH_BUCKETS.length - 1 && WIDTH_BUCKETS[b] < w) {
    b++;
  }
  return b;
}

const phaseCache = new WeakMap<Scene, Float32Array>();
function phases(scene: Scene): Float32Array {
  let p = phaseCache.get(scene);
  if (!p) {
    const e = scene.edges;
    p = new Float32Array(Math.max(e.size, e.nodeFrom.length));
    const reg = scene.index.registry;
    for (let i = 0; i < p.length; i++) {
      p[i] = i < e.size ? unit(reg.info[e.from[i]].id + '>' + reg.info[e.to[i]].id) : unit(String(i));
    }
    phaseCache.set(scene, p);
  }
  return p;
}

/** Draws one frame of the topology. Pure with respect to its inputs; all text is canvas text. */
export function drawFrame(ctx: CanvasRenderingContext2D, f: FrameInput): FrameStats {
  const { scene, look, palette: pal, view } = f;
  const reg = scene.index.registry;
  const { px, py, layout } = scene;
  const s = view.scale;
  const level = detailLevel(s);
  const stats: FrameStats = { level, nodes: 0, actors: 0, edges: 0, particles: 0 };
  const vx0 = view.x;
  const vy0 = view.y;
  const vx1 = view.x + f.width / s;
  const vy1 = view.y + f.height / s;
  const sx = (x: number) => (x - vx0) * s;
  const sy = (y: number) => (y - vy0) * s;

  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, f.width, f.height);

  // 1. node regions
  const bw = layout.boxW;
  const bh = layout.boxH;
  ctx.lineWidth = pal.borderWidth;
  ctx.font = `${Math.max(9, Math.min(14, 12 * s))}px sans-serif`;
  ctx.textBaseline = 'middle';
  for (let i = 0; i < reg.size; i++) {
    const lk = look[i];
    if (reg.kinds[i] !== 'node' || lk === LOOK.HIDDEN) {
      continue;
    }
    const x = px[i];
    const y = py[i];
    if (x > vx1 || y > vy1 || x + bw < vx0 || y + bh < vy0) {
      continue;
    }
    stats.nodes++;
    const base = lk & ~LOOK.FLASH;
    ctx.globalAlpha = base === LOOK.GHOST ? 0.35 : 1;
    ctx.fillStyle = base === LOOK.FAILED ? pal.failedFill : pal.nodeFill;
    ctx.fillRect(sx(x), sy(y), bw * s, bh * s);
    ctx.setLineDash(base === LOOK.FAILED || base === LOOK.GHOST ? [6, 4] : []);
    ctx.strokeStyle = base === LOOK.FAILED ? pal.failed : lk & LOOK.FLASH ? pal.flash : pal.nodeBorder;
    ctx.lineWidth = base === LOOK.FAILED || lk & LOOK.FLASH ? pal.borderWidth + 1.5 : pal.borderWidth;
    ctx.strokeRect(sx(x), sy(y), bw * s, bh * s);
    ctx.setLineDash([]);
    // layer stripe
    ctx.fillStyle = pal.layer(reg.info[i].layer);
    ctx.fillRect(sx(x), sy(y), Math.max(2, 4 * s), bh * s);
    if (bw * s > 50) {
      ctx.fillStyle = base === LOOK.FAILED ? pal.failed : pal.text;
      const label = reg.info[i].name + (base === LOOK.FAILED ? ' (failed)' : base === LOOK.GHOST ? ' (gone)' : '');
      ctx.fillText(fitText(ctx, label, bw * s - 16), sx(x) + 8 * Math.min(1, s) + 4, sy(y) + (GEOMETRY.header / 2) * s);
    }
  }
  ctx.globalAlpha = 1;
  ctx.lineWidth = 1;

  // 2. edges (node-level aggregation when zoomed out)
  const e = scene.edges;
  const ph = phases(scene);
  const nodeLevel = level === 'nodes';
  const n = nodeLevel ? e.nodeFrom.length : e.size;
  const paths: Path2D[] = WIDTH_BUCKETS.map(() => new Path2D());
  const particlePath = new Path2D();
  const cx = nodeLevel ? bw / 2 : 0;
  const cy = nodeLevel ? bh / 2 : 0;
  const psize = Math.max(1.5, Math.min(4, 3 * s));
  for (let k = 0; k < n; k++) {
    const a = nodeLevel ? e.nodeFrom[k] : e.from[k];
    const b = nodeLevel ? e.nodeTo[k] : e.to[k];
    if (look[a] === LOOK.HIDDEN || look[b] === LOOK.HIDDEN) {
      continue;
    }
    const rate = nodeLevel ? f.nodeRates[k] : f.rates[k];
    const x1 = px[a] + cx;
    const y1 = py[a] + cy;
    const x2 = px[b] + cx;
    const y2 = py[b] + cy;
    if (Math.max(x1, x2) < vx0 || Math.min(x1, x2) > vx1 || Math.max(y1, y2) < vy0 || Math.min(y1, y2) > vy1) {
      continue;
    }
    stats.edges++;
    const p = paths[bucket(edgeWidth(rate))];
    p.moveTo(sx(x1), sy(y1));
    p.lineTo(sx(x2), sy(y2));
    if (f.particles && rate > 0 && stats.particles < MAX_PARTICLES) {
      const count = particleCount(rate);
      const speed = particleSpeed(rate);
      for (let q = 0; q < count; q++) {
        const u = (f.anim * speed + q / count + ph[k]) % 1;
        const x = sx(x1 + (x2 - x1) * u);
        const y = sy(y1 + (y2 - y1) * u);
        particlePath.rect(x - psize / 2, y - psize / 2, psize, psize);
      }
      stats.particles += count;
    }
  }
  ctx.strokeStyle = pal.edge;
  paths.forEach((p, i) => {
    ctx.lineWidth = WIDTH_BUCKETS[i];
    ctx.stroke(p);
  });
  ctx.fillStyle = pal.particle;
  ctx.fill(particlePath);

  // 3. actors
  if (!nodeLevel) {
    const up = new Path2D();
    const ghost = new Path2D();
    const flash = new Path2D();
    const sz = GEOMETRY.actor * s;
    const labels: number[] = [];
    for (let i = 0; i < reg.size; i++) {
      const lk = look[i];
      if (reg.kinds[i] !== 'actor' || lk === LOOK.HIDDEN) {
        continue;
      }
      const x = px[i];
      const y = py[i];
      if (x < vx0 - GEOMETRY.actor || y < vy0 - GEOMETRY.actor || x > vx1 + GEOMETRY.actor || y > vy1 + GEOMETRY.actor) {
        continue;
      }
      stats.actors++;
      const X = sx(x) - sz / 2;
      const Y = sy(y) - sz / 2;
      if (lk === LOOK.GHOST) {
        ghost.rect(X, Y, sz, sz);
      } else {
        up.rect(X, Y, sz, sz);
        if (lk & LOOK.FLASH) {
          flash.rect(X - 3, Y - 3, sz + 6, sz + 6);
        }
      }
      if (level === 'labels' && f.showLabels && labels.length < MAX_LABELS) {
        labels.push(i);
      }
    }
    ctx.fillStyle = pal.up;
    ctx.fill(up);
    ctx.setLineDash([2, 2]);
    ctx.strokeStyle = pal.ghost;
    ctx.lineWidth = 1;
    ctx.stroke(ghost);
    ctx.setLineDash([]);
    ctx.strokeStyle = pal.flash;
    ctx.lineWidth = 2;
    ctx.stroke(flash);
    ctx.fillStyle = pal.textDim;
    ctx.font = `${Math.min(12, 4 * s)}px sans-serif`;
    ctx.textBaseline = 'top';
    for (const i of labels) {
      ctx.fillText(fitText(ctx, reg.info[i].name, (GEOMETRY.actor + GEOMETRY.actorGap) * s - 2), sx(px[i]) - sz / 2, sy(py[i]) + sz / 2 + 1);
    }
  }

  // 4. hover, selection and keyboard focus rings
  const ring = (i: number | undefined, color: string, width: number) => {
    if (i === undefined || i < 0 || i >= reg.size) {
      return;
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    if (reg.kinds[i] === 'node') {
      ctx.strokeRect(sx(px[i]) - 3, sy(py[i]) - 3, bw * s + 6, bh * s + 6);
    } else {
      const sz = Math.max(6, GEOMETRY.actor * s);
      ctx.strokeRect(sx(px[i]) - sz / 2 - 3, sy(py[i]) - sz / 2 - 3, sz + 6, sz + 6);
    }
  };
  ring(f.hovered, pal.textDim, 1);
  ring(f.selected, pal.selected, 2.5);
  ring(f.focused, pal.focus, 2.5);
  if (f.selectedEdge !== undefined && f.selectedEdge < e.size && !nodeLevel) {
    ctx.strokeStyle = pal.selected;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(sx(px[e.from[f.selectedEdge]]), sy(py[e.from[f.selectedEdge]]));
    ctx.lineTo(sx(px[e.to[f.selectedEdge]]), sy(py[e.to[f.selectedEdge]]));
    ctx.stroke();
  }
  return stats;
}
