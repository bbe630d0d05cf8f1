import { Scene } from '../model/scene';
import { GEOMETRY } from '../model/layout';
import { DetailLevel, detailLevel } from '../model/lod';
import { unit } from '../model/hash';
import { LOOK } from './presence';
import { EdgeMode, ParticleSegments, drawEdges } from './edges';
import { Palette } from './palette';
import { View } from './view';
import { actorLabelRoom, fitLabel, fitText } from './labels';

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

export interface DrawnLabel {
  id: string;
  text: string;
  full: string;
  x: number;
  y: number;
  w: number;
  /** the room the label had */
  room: number;
}

/** Width (screen px) of a node's layer stripe: thin at every zoom so it never crowds the label. */
export function stripeWidth(scale: number): number {
  return Math.max(2, Math.min(5, 4 * scale));
}

export interface FrameStats {
  level: DetailLevel;
  edgeMode?: EdgeMode;
  omittedEdges?: number;
  /** labels drawn, in screen px: the text shown, the full name, and the box it occupies */
  labels: DrawnLabel[];
  nodes: number;
  actors: number;
  edges: number;
  particles: number;
}

const MAX_LABELS = 600;

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
  const stats: FrameStats = { level, labels: [], nodes: 0, actors: 0, edges: 0, particles: 0 };
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
  const stripe = stripeWidth(s);
  const headerH = GEOMETRY.header * s;
  const nodeFont = Math.max(9, Math.min(14, 12 * s));
  // node names are drawn last, over the edges that cross their header
  const nodeLabels: Array<DrawnLabel & { color: string; halo: string }> = [];
  ctx.lineWidth = pal.borderWidth;
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
    const failed = base === LOOK.FAILED;
    // unknown: its collector stopped reporting (contract 1.2), neither up nor failed
    const unknown = base === LOOK.UNKNOWN;
    const X = sx(x);
    const Y = sy(y);
    ctx.globalAlpha = base === LOOK.GHOST ? 0.35 : 1;
    ctx.fillStyle = failed ? pal.failedFill : pal.nodeFill;
    ctx.fillRect(X, Y, bw * s, bh * s);
    if (failed) {
      // a failed node's header is a solid band of the failure colour: it reads at a glance in every theme
      ctx.fillStyle = pal.failed;
      ctx.fillRect(X, Y, bw * s, headerH);
    }
    ctx.setLineDash(failed || unknown || base === LOOK.GHOST ? [6, 4] : []);
    ctx.strokeStyle = failed ? pal.failed : unknown ? pal.ghost : lk & LOOK.FLASH ? pal.flash : pal.nodeBorder;
    ctx.lineWidth = failed || lk & LOOK.FLASH ? pal.borderWidth + 1.5 : pal.borderWidth;
    ctx.strokeRect(X, Y, bw * s, bh * s);
    ctx.setLineDash([]);
    ctx.fillStyle = pal.layer(reg.info[i].layer);
    ctx.fillRect(X, Y, stripe, bh * s);
    // the label starts right of the stripe; the state suffix is never cut, the name is
    const room = bw * s - stripe - 12;
    if (room > 30 && headerH >= 9) {
      ctx.font = `${Math.min(nodeFont, headerH - 2)}px sans-serif`;
      const suffix = failed ? ' (failed)' : unknown ? ' (unknown)' : base === LOOK.GHOST ? ' (gone)' : '';
      const name = reg.info[i].name;
      const text = fitText(ctx, name, room - ctx.measureText(suffix).width) + suffix;
      const color = failed ? pal.onFailed : unknown || base === LOOK.GHOST ? pal.ghost : pal.text;
      nodeLabels.push({
        id: reg.info[i].id,
        text,
        full: name + suffix,
        x: X + stripe + 6,
        y: Y,
        w: ctx.measureText(text).width,
        room,
        color,
        halo: failed ? pal.failed : pal.nodeFill,
      });
    }
  }
  ctx.globalAlpha = 1;
  ctx.lineWidth = 1;

  // 2. edges (aggregated to node edges when zoomed out or crowded)
  const nodeLevel = level === 'nodes';
  const es = drawEdges(
    ctx,
    {
      scene,
      look,
      rates: f.rates,
      nodeRates: f.nodeRates,
      phases: phases(scene),
      palette: pal,
      particles: f.particles,
      segments: f.segments,
      vx0,
      vy0,
      vx1,
      vy1,
      scale: s,
    },
    nodeLevel
  );
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
      if (
        x < vx0 - GEOMETRY.actor ||
        y < vy0 - GEOMETRY.actor ||
        x > vx1 + GEOMETRY.actor ||
        y > vy1 + GEOMETRY.actor
      ) {
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
    // unknown: neither running (filled) nor exited (dashed outline): a grey fill ringed in the failure colour
    ctx.fillStyle = pal.ghost;
    ctx.fill(unknown);
    ctx.strokeStyle = pal.failed;
    ctx.lineWidth = 1.5;
    ctx.stroke(unknown);
    ctx.setLineDash([2, 2]);
    ctx.strokeStyle = pal.ghost;
    ctx.lineWidth = 1;
    ctx.stroke(ghost);
    ctx.setLineDash([]);
    ctx.strokeStyle = pal.flash;
    ctx.lineWidth = 2;
    ctx.stroke(flash);
    drawActorLabels(ctx, f, labels, stats.labels);
  }

  ctx.font = `${Math.min(nodeFont, headerH - 2)}px sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  for (const { color, halo, ...l } of nodeLabels) {
    // a halo of the header colour keeps the name readable where edges cross it
    ctx.strokeStyle = halo;
    ctx.strokeText(l.text, l.x, l.y + headerH / 2);
    ctx.fillStyle = color;
    ctx.fillText(l.text, l.x, l.y + headerH / 2);
    stats.labels.push(l);
  }
  ctx.lineWidth = 1;
  return stats;
}

/** Actor names under their boxes, in the room up to the next shown actor in the row (or the node's edge). */
function drawActorLabels(ctx: CanvasRenderingContext2D, f: FrameInput, labels: number[], out: DrawnLabel[]): void {
  const { scene, view } = f;
  const reg = scene.index.registry;
  const { px, py } = scene;
  const s = view.scale;
  const innerRight = (i: number) => {
    const n = reg.nodeIndex((reg.info[i] as { node: string }).node);
    return n === undefined
      ? px[i] + GEOMETRY.actor / 2 + GEOMETRY.actorGap
      : px[n] + scene.layout.boxW - GEOMETRY.pad / 2;
  };
  const room = actorLabelRoom(labels, px, py, innerRight);
  const sz = GEOMETRY.actor * s;
  // the label sits in the gap below the box: its font never exceeds that gap
  const fontPx = Math.min(12, 4 * s, GEOMETRY.actorGap * s - 1);
  ctx.fillStyle = f.palette.textDim;
  ctx.textBaseline = 'top';
  for (const i of labels) {
    const full = reg.info[i].name;
    const w = room.get(i)! * s;
    const text = fitLabel(ctx, full, w, fontPx);
    const x = (px[i] - view.x) * s - sz / 2;
    const y = (py[i] - view.y) * s + sz / 2 + 1;
    ctx.fillText(text, x, y);
    out.push({ id: reg.info[i].id, text, full, x, y, w: ctx.measureText(text).width, room: w });
  }
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

/** What the edge level of detail left out, in words for the banner over the canvas (undefined: nothing). */
export function edgeNote(stats: FrameStats): string | undefined {
  if (stats.omittedEdges) {
    const how = stats.edgeMode === 'node' ? 'Node view' : 'Links summed per node pair';
    return `${how}: ${stats.omittedEdges.toLocaleString('en-US')} quieter links not drawn, zoom in for more`;
  }
  return stats.edgeMode === 'mixed' ? 'Links summed per node pair, zoom in for actor links' : undefined;
}
