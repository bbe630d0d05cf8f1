import { Scene } from '../model/scene';
import { GEOMETRY } from '../model/layout';
import { DetailLevel, detailLevel } from '../model/lod';
import { unit } from '../model/hash';
import { LOOK } from './presence';
import { EdgeMode, ParticleSegments, drawEdges } from './edges';
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
  particles: boolean;
  /** receives the particle segments (drawn per animation frame by drawParticles) */
  segments: ParticleSegments;
  showLabels: boolean;
}

export interface OverlayInput {
  scene: Scene;
  palette: Palette;
  view: View;
  hovered?: number;
  selected?: number;
  focused?: number;
  selectedEdge?: number;
}

export interface FrameStats {
  level: DetailLevel;
  edgeMode?: EdgeMode;
  omittedEdges?: number;
  nodes: number;
  actors: number;
  edges: number;
  particles: number;
}

const MAX_LABELS = 600;

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

/** Draws the topology except the moving particles (cached between animation frames). All text is canvas text. */
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

  // 2. edges (aggregated to node edges when zoomed out or crowded)
  const nodeLevel = level === 'nodes';
  const es = drawEdges(ctx, { scene, look, rates: f.rates, nodeRates: f.nodeRates, phases: phases(scene), palette: pal, particles: f.particles, segments: f.segments, vx0, vy0, vx1, vy1, scale: s }, nodeLevel);
  stats.edges = es.edges;
  stats.particles = es.particles;
  stats.edgeMode = es.mode;
  stats.omittedEdges = es.omitted;

  // 3. actors
  if (!nodeLevel) {
    const up = new Path2D();
    const ghost = new Path2D();
    const unknown = new Path2D();
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
      } else if (lk === LOOK.UNKNOWN) {
        unknown.rect(X, Y, sz, sz);
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
    // unknown: neither running (filled) nor exited (dashed outline) — a grey fill with the failure colour around it
    ctx.fillStyle = pal.ghost;
    ctx.fill(unknown);
    ctx.strokeStyle = pal.failed;
    ctx.lineWidth = 1;
    ctx.stroke(unknown);
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

  if (es.omitted > 0) {
    ctx.font = '11px sans-serif';
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = pal.textDim;
    ctx.fillText(`${es.mode === 'node' ? 'node view' : 'links summed per node pair'}: ${es.omitted} quieter node links hidden, zoom in for more`, 6, f.height - 4);
  } else if (es.mode === 'mixed') {
    ctx.font = '11px sans-serif';
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = pal.textDim;
    ctx.fillText('links summed per node pair, zoom in for actor links', 6, f.height - 4);
  }
  return stats;
}

/** Hover, selection and keyboard-focus rings, drawn every presented frame over the cached scene. */
export function drawOverlay(ctx: CanvasRenderingContext2D, f: OverlayInput): void {
  const { scene, palette: pal, view } = f;
  const reg = scene.index.registry;
  const { px, py } = scene;
  const e = scene.edges;
  const s = view.scale;
  const bw = scene.layout.boxW;
  const bh = scene.layout.boxH;
  const sx = (x: number) => (x - view.x) * s;
  const sy = (y: number) => (y - view.y) * s;
  const nodeLevel = detailLevel(s) === 'nodes';
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
}
