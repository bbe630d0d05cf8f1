import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import { Scene } from '../model/scene';
import { StateArrays } from '../model/ops';
import { detailLevel } from '../model/lod';
import { nearestEdge, EDGE_TOLERANCE_PX } from '../model/edgeHit';
import { navigate, readingOrder } from '../model/navigate';
import { describeEdge, describeEntity, describeNodeEdge } from '../model/describe';
import { LOOK, nodeHasState, presence } from '../render/presence';
import { drawFrame, drawOverlay, edgeNote, FrameStats } from '../render/draw';
import { ParticleSegments, drawParticles, forEachParticle } from '../render/edges';
import { Palette } from '../render/palette';
import { View, fitView, pan, toWorld, zoomAt } from '../render/view';
import { PanelOptions } from '../types';
import { Details } from './Details';
import { Legend } from './Legend';

/** Kept free above the fitted picture: the edge note sits there, so no label is drawn under it. */
const NOTE_STRIP = 28;

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    position: 'relative',
    overflow: 'hidden',
    outline: 'none',
    '&:focus-visible': { boxShadow: `inset 0 0 0 2px ${theme.colors.primary.main}` },
  }),
  canvas: css({ display: 'block', cursor: 'grab', '&:active': { cursor: 'grabbing' } }),
  tip: css({
    position: 'absolute',
    pointerEvents: 'none',
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.5, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    boxShadow: theme.shadows.z2,
    maxWidth: 300,
    wordBreak: 'break-all',
    zIndex: 3,
  }),
  legendToggle: css({ position: 'absolute', top: theme.spacing(1), right: theme.spacing(1), zIndex: 2 }),
  // where the eye is: top centre of the canvas, not a corner
  note: css({
    position: 'absolute',
    top: theme.spacing(1),
    left: '50%',
    transform: 'translateX(-50%)',
    maxWidth: '70%',
    zIndex: 1,
    pointerEvents: 'none',
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.25, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  sr: css({
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  }),
});

interface Props {
  scene: Scene;
  options: PanelOptions;
  palette: Palette;
  visible: Uint8Array;
  playheadRef: React.MutableRefObject<number>;
  /** changes at UI rate; used to refresh text (tooltips, details) */
  playhead: number;
  width: number;
  height: number;
}

type Hover = { sx: number; sy: number; entity?: number; edge?: number; nodeEdge?: number } | null;
type Selection = { entity?: number; edge?: number } | null;

/** Read-only hooks for the browser harness and benchmarks (attached to the canvas element). */
export interface CanvasDebug {
  stats?: FrameStats;
  /** duration (ms) of the last frames: state seek + presence + rates + draw */
  frameMs: number[];
  /** frames that redrew the cached scene vs. frames that only moved particles */
  staticMs: number[];
  animMs: number[];
  screenOf: (id: string, kind: 'node' | 'actor') => [number, number] | undefined;
  rectOf: (id: string) => [number, number, number, number] | undefined;
  view: () => View;
  /** screen positions (CSS px) of the particles in the last presented frame */
  particles: () => Array<[number, number]>;
  /** screen segments of every edge that carries flow in the state of the last frame (both ends shown, rate > 0): actor and node-pair edges */
  flowingEdges: () => Array<[number, number, number, number]>;
}

const FRAME_SAMPLES = 600;
const SETTLE_MS = 120;

function pushSample(xs: number[], v: number): void {
  xs.push(v);
  if (xs.length > FRAME_SAMPLES) {
    xs.shift();
  }
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** The topology canvas: drawing loop, pan/zoom, hover, selection, keyboard focus. */
export function TopologyCanvas({ scene, options, palette, visible, playheadRef, playhead, width, height }: Props) {
  const s = useStyles2(getStyles);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const reg = scene.index.registry;
  const [view, setView] = useState<View>(() =>
    fitView(scene.layout.width, scene.layout.height, width, height, 16, NOTE_STRIP)
  );
  const viewRef = useRef(view);
  useLayoutEffect(() => {
    viewRef.current = view;
  }, [view]);
  const [hover, setHover] = useState<Hover>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [focused, setFocused] = useState<number | undefined>(undefined);
  const [legend, setLegend] = useState(false);
  const [note, setNote] = useState<string | undefined>(undefined);
  const dirty = useRef(true);
  const frameData = useRef({
    t: NaN,
    look: new Uint8Array(reg.size),
    rates: new Float64Array(scene.edges.size),
    nodeRates: new Float64Array(scene.edges.nodeFrom.length),
    state: undefined as StateArrays | undefined,
    visible,
  });
  const hasState = useMemo(() => nodeHasState(reg, scene.index.entity, scene.index.length), [reg, scene]);
  const fittedFor = useRef<Scene | null>(null);

  // refit when the world grows beyond the previous view's scene (first data, or a layout change)
  useEffect(() => {
    const prev = fittedFor.current;
    if (!prev || prev.layout.width !== scene.layout.width || prev.layout.height !== scene.layout.height) {
      setView(fitView(scene.layout.width, scene.layout.height, width, height, 16, NOTE_STRIP));
    }
    fittedFor.current = scene;
    frameData.current = {
      t: NaN,
      look: new Uint8Array(reg.size),
      rates: new Float64Array(scene.edges.size),
      nodeRates: new Float64Array(scene.edges.nodeFrom.length),
      state: undefined,
      visible,
    };
    dirty.current = true;
  }, [scene, reg, width, height, visible]);

  const compute = useCallback(() => {
    const fd = frameData.current;
    const t = playheadRef.current;
    if (t === fd.t && fd.state) {
      return fd;
    }
    fd.state = scene.index.stateAt(t);
    const prevLook = fd.look.slice();
    const prevRates = fd.rates.slice();
    presence(
      {
        reg,
        state: fd.state,
        t,
        ghostMs: options.ghostSeconds * 1000,
        flashMs: options.flashSeconds * 1000,
        visible: fd.visible,
        nodeHasState: hasState,
      },
      fd.look
    );
    scene.edges.ratesAt(t, fd.rates);
    scene.edges.aggregate(fd.rates, fd.nodeRates);
    fd.t = t;
    // redraw the cached scene only if what is drawn changed (during playback most frames do not)
    if (!sameArray(prevLook, fd.look) || !sameArray(prevRates, fd.rates)) {
      dirty.current = true;
    }
    return fd;
  }, [scene, reg, options.ghostSeconds, options.flashSeconds, hasState, playheadRef]);

  const debug = useRef<CanvasDebug>({
    frameMs: [],
    staticMs: [],
    animMs: [],
    screenOf: () => undefined,
    rectOf: () => undefined,
    view: () => viewRef.current,
    particles: () => [],
    flowingEdges: () => [],
  });
  // harness hooks read the current view; assigned after render
  useEffect(() => {
    debug.current.rectOf = (id) => {
      const i = reg.nodeIndex(id);
      if (i === undefined) {
        return undefined;
      }
      const v = viewRef.current;
      return [
        (scene.px[i] - v.x) * v.scale,
        (scene.py[i] - v.y) * v.scale,
        scene.layout.boxW * v.scale,
        scene.layout.boxH * v.scale,
      ];
    };
    debug.current.screenOf = (id, kind) => {
      const i = kind === 'node' ? reg.nodeIndex(id) : reg.actorIndex(id);
      if (i === undefined) {
        return undefined;
      }
      const v = viewRef.current;
      const cx = kind === 'node' ? scene.layout.boxW / 2 : 0;
      const cy = kind === 'node' ? scene.layout.boxH / 2 : 0;
      return [(scene.px[i] + cx - v.x) * v.scale, (scene.py[i] + cy - v.y) * v.scale];
    };
    debug.current.flowingEdges = () => {
      // the state the last frame was drawn from (not recomputed: the playhead may have moved since)
      const { look, rates, nodeRates } = frameData.current;
      const v = viewRef.current;
      const e = scene.edges;
      const out: Array<[number, number, number, number]> = [];
      const add = (a: number, b: number, dx: number, dy: number) =>
        out.push([
          (scene.px[a] + dx - v.x) * v.scale,
          (scene.py[a] + dy - v.y) * v.scale,
          (scene.px[b] + dx - v.x) * v.scale,
          (scene.py[b] + dy - v.y) * v.scale,
        ]);
      for (let k = 0; k < e.size; k++) {
        if (rates[k] > 0 && look[e.from[k]] !== LOOK.HIDDEN && look[e.to[k]] !== LOOK.HIDDEN) {
          add(e.from[k], e.to[k], 0, 0);
        }
      }
      for (let k = 0; k < e.nodeFrom.length; k++) {
        if (nodeRates[k] > 0 && look[e.nodeFrom[k]] !== LOOK.HIDDEN && look[e.nodeTo[k]] !== LOOK.HIDDEN) {
          add(e.nodeFrom[k], e.nodeTo[k], scene.layout.boxW / 2, scene.layout.boxH / 2);
        }
      }
      return out;
    };
  }, [reg, scene]);

  // overlay (hover/selection/focus) and view changes only need a present, not a scene redraw
  const overlay = useRef({
    hovered: undefined as number | undefined,
    selected: undefined as number | undefined,
    focused: undefined as number | undefined,
    selectedEdge: undefined as number | undefined,
  });
  const present = useRef(true);
  const viewChangedAt = useRef(0);
  useEffect(() => {
    overlay.current = { hovered: hover?.entity, selected: selection?.entity, focused, selectedEdge: selection?.edge };
    present.current = true;
  }, [hover, selection, focused]);
  useEffect(() => {
    present.current = true;
    viewChangedAt.current = performance.now();
  }, [view]);
  useEffect(() => {
    dirty.current = true;
  }, [palette, options.particles, options.showLabels]);

  // render loop. The scene (nodes, actors, edges, labels) is drawn into a cached layer only when
  // what is drawn changes; animation frames blit it and move the particles. While panning/zooming
  // the cached layer is transformed and redrawn once the view has been still for SETTLE_MS.
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) {
      return;
    }
    // Test and benchmark hooks only on a page that asks for them (the browser harness sets the flag before the
    // plugin loads); in Grafana the canvas element carries nothing extra.
    if ((window as unknown as { __hmxTestHooks?: boolean }).__hmxTestHooks) {
      (canvas as unknown as { hmx: CanvasDebug }).hmx = debug.current;
    }
    debug.current.particles = () => [];
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    let raf = 0;
    const start = performance.now();
    const layer = document.createElement('canvas');
    layer.width = canvas.width;
    layer.height = canvas.height;
    const lctx = layer.getContext('2d');
    const segments = new ParticleSegments();
    let layerView: View | undefined;
    dirty.current = true;
    const frame = (now: number) => {
      const t0 = performance.now();
      const fd = compute();
      const v = viewRef.current;
      const settled = now - viewChangedAt.current > SETTLE_MS;
      const redraw = dirty.current || (v !== layerView && (settled || !layerView));
      const animate = options.particles && segments.length > 0;
      if ((redraw || animate || present.current) && lctx) {
        if (redraw) {
          dirty.current = false;
          layerView = v;
          lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
          debug.current.stats = drawFrame(lctx, {
            scene,
            look: fd.look,
            rates: fd.rates,
            nodeRates: fd.nodeRates,
            palette,
            view: v,
            width,
            height,
            particles: options.particles,
            segments,
            showLabels: options.showLabels,
          });
          canvas.dataset.level = debug.current.stats.level;
          canvas.dataset.actors = String(debug.current.stats.actors);
          canvas.dataset.nodes = String(debug.current.stats.nodes);
          canvas.dataset.edges = String(debug.current.stats.edges);
          setNote(edgeNote(debug.current.stats));
        }
        present.current = false;
        const lv = layerView!;
        const ratio = v.scale / lv.scale;
        const ox = (lv.x - v.x) * v.scale;
        const oy = (lv.y - v.y) * v.scale;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        if (ratio !== 1 || ox !== 0 || oy !== 0) {
          ctx.fillStyle = palette.background;
          ctx.fillRect(0, 0, canvas.width, canvas.height);
        }
        ctx.setTransform(ratio, 0, 0, ratio, ox * dpr, oy * dpr);
        ctx.drawImage(layer, 0, 0);
        if (animate) {
          const anim = (now - start) / 1000;
          ctx.setTransform(dpr * ratio, 0, 0, dpr * ratio, ox * dpr, oy * dpr);
          // in the layer's coordinates: only where the layer has drawn its edges
          drawParticles(ctx, segments, anim, width, height, palette.particle, Math.max(1.5, Math.min(4, 3 * lv.scale)));
          debug.current.particles = () => {
            const out: Array<[number, number]> = [];
            forEachParticle(segments, anim, width, height, (x, y) => out.push([x * ratio + ox, y * ratio + oy]));
            return out;
          };
        } else {
          debug.current.particles = () => [];
        }
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        drawOverlay(ctx, { scene, palette, view: v, ...overlay.current });
        if ((window as unknown as { __hmxMeasureRaster?: boolean }).__hmxMeasureRaster) {
          ctx.getImageData(0, 0, 1, 1); // benchmark only: include rasterisation in the frame time
        }
        const ms = performance.now() - t0;
        pushSample(debug.current.frameMs, ms);
        pushSample(redraw ? debug.current.staticMs : debug.current.animMs, ms);
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, [scene, palette, width, height, compute, options.particles, options.showLabels]);

  // pointer: drag to pan, wheel to zoom, hover and click to inspect
  const dragRef = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const pick = (sx: number, sy: number): Hover => {
    const fd = compute();
    const v = viewRef.current;
    const [wx, wy] = toWorld(v, sx, sy);
    const nodeLevel = detailLevel(v.scale) === 'nodes';
    // hover the edges that are drawn: node pairs when zoomed out or when actor links are summed
    const mode = debug.current.stats?.edgeMode;
    const nodeEdges = nodeLevel || mode === 'mixed' || mode === 'node';
    const hit = scene.hit.at(wx, wy);
    const actorIdx = hit.actor !== undefined ? reg.actorIndex(hit.actor) : undefined;
    if (!nodeLevel && actorIdx !== undefined && fd.look[actorIdx] !== LOOK.HIDDEN) {
      return { sx, sy, entity: actorIdx };
    }
    const edge = nearestEdge(scene, fd.look, nodeEdges, wx, wy, EDGE_TOLERANCE_PX / v.scale);
    if (edge !== undefined) {
      return nodeEdges ? { sx, sy, nodeEdge: edge } : { sx, sy, edge };
    }
    const nodeIdx = hit.node !== undefined ? reg.nodeIndex(hit.node) : undefined;
    if (nodeIdx !== undefined && fd.look[nodeIdx] !== LOOK.HIDDEN) {
      return { sx, sy, entity: nodeIdx };
    }
    return null;
  };
  const local = (e: React.PointerEvent | React.WheelEvent | React.MouseEvent): [number, number] => {
    const r = canvasRef.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const onPointerDown = (e: React.PointerEvent) => {
    dragRef.current = { x: e.clientX, y: e.clientY, moved: false };
    (e.target as Element).setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = dragRef.current;
    if (d) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (d.moved || Math.abs(dx) + Math.abs(dy) > 3) {
        d.moved = true;
        d.x = e.clientX;
        d.y = e.clientY;
        setView((v) => pan(v, dx, dy));
        setHover(null);
        return;
      }
    }
    const [sx, sy] = local(e);
    setHover(pick(sx, sy));
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const d = dragRef.current;
    dragRef.current = null;
    if (d && !d.moved) {
      const [sx, sy] = local(e);
      const h = pick(sx, sy);
      setSelection(h ? { entity: h.entity, edge: h.edge } : null);
      if (h?.entity !== undefined) {
        setFocused(h.entity);
      }
    }
  };
  const onWheel = (e: React.WheelEvent) => {
    const [sx, sy] = local(e);
    setView((v) => zoomAt(v, sx, sy, Math.exp(-e.deltaY * 0.0015)));
  };

  // keyboard: roving focus over nodes and actors (the canvas is usable without a mouse)
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target !== e.currentTarget) {
      return; // keys on the legend button or the details links are theirs
    }
    const look = compute().look;
    const order = readingOrder(reg, scene.layout, (i) => look[i] !== LOOK.HIDDEN);
    if (e.key === '+' || e.key === '=') {
      setView((v) => zoomAt(v, width / 2, height / 2, 1.25));
    } else if (e.key === '-') {
      setView((v) => zoomAt(v, width / 2, height / 2, 0.8));
    } else if (e.key === '0') {
      setView(fitView(scene.layout.width, scene.layout.height, width, height, 16, NOTE_STRIP));
    } else if (e.key === ' ' && focused !== undefined) {
      setSelection({ entity: focused });
    } else {
      const next = navigate(reg, order, focused, e.key);
      if (next === undefined) {
        if (e.key === 'Escape') {
          setSelection(null);
        }
        return;
      }
      setFocused(next);
      const kind = reg.kinds[next];
      const p = debug.current.screenOf(reg.info[next].id, kind);
      if (p && (p[0] < 0 || p[1] < 0 || p[0] > width || p[1] > height)) {
        setView((v) => pan(v, width / 2 - p[0], height / 2 - p[1]));
      }
    }
    e.preventDefault();
  };

  // text (tooltip, details, announcer, counts) is derived from a detached snapshot at the UI-rate
  // playhead, independent of the render loop's buffers
  const t = playhead;
  const fd = useMemo(() => {
    const state = scene.index.snapshotAt(t);
    const rates = scene.edges.ratesAt(t, new Float64Array(scene.edges.size));
    const nodeRates = scene.edges.aggregate(rates, new Float64Array(scene.edges.nodeFrom.length));
    const look = presence(
      {
        reg,
        state,
        t,
        ghostMs: options.ghostSeconds * 1000,
        flashMs: options.flashSeconds * 1000,
        visible,
        nodeHasState: hasState,
      },
      new Uint8Array(reg.size)
    );
    return { state, rates, nodeRates, look };
  }, [scene, reg, t, visible, hasState, options.ghostSeconds, options.flashSeconds]);
  const tip = useMemo(() => {
    if (!hover || !fd.state) {
      return undefined;
    }
    if (hover.entity !== undefined) {
      return describeEntity(scene, fd.state, fd.rates, hover.entity, t, options);
    }
    if (hover.edge !== undefined) {
      return describeEdge(scene, fd.rates, hover.edge, t, options);
    }
    if (hover.nodeEdge !== undefined) {
      return { title: describeNodeEdge(scene, fd.nodeRates, hover.nodeEdge), rows: [], links: [], summary: '' };
    }
    return undefined;
  }, [hover, scene, fd, t, options]);
  const details = useMemo(() => {
    if (!selection || !fd.state) {
      return undefined;
    }
    if (selection.entity !== undefined) {
      return describeEntity(scene, fd.state, fd.rates, selection.entity, t, options);
    }
    if (selection.edge !== undefined) {
      return describeEdge(scene, fd.rates, selection.edge, t, options);
    }
    return undefined;
  }, [selection, scene, fd, t, options]);
  const announce =
    focused !== undefined && fd.state ? describeEntity(scene, fd.state, fd.rates, focused, t, options).summary : '';
  const counts = useMemo(() => {
    let n = 0;
    let a = 0;
    for (let i = 0; i < reg.size; i++) {
      if (fd.look[i] !== LOOK.HIDDEN) {
        reg.kinds[i] === 'node' ? n++ : a++;
      }
    }
    return { n, a };
  }, [fd, reg]);

  return (
    <div
      className={s.wrap}
      style={{ width, height }}
      tabIndex={0}
      role="application"
      aria-roledescription="topology canvas"
      aria-label={`Topology: ${counts.n} nodes and ${counts.a} actors shown. Arrow keys move between nodes, Enter opens a node's actors, Escape goes back, Space shows details, plus and minus zoom, 0 fits.`}
      onKeyDown={onKeyDown}
      data-testid="hmx-canvas-wrap"
    >
      <canvas
        ref={canvasRef}
        className={s.canvas}
        style={{ width, height }}
        data-testid="hmx-canvas"
        aria-hidden="true"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onWheel={onWheel}
      />
      {note && (
        <div className={s.note} data-testid="hmx-edge-note">
          {note}
        </div>
      )}
      <Button
        className={s.legendToggle}
        size="sm"
        variant="secondary"
        aria-pressed={legend}
        onClick={() => setLegend((l) => !l)}
        data-testid="hmx-legend-toggle"
      >
        {legend ? 'Hide legend' : 'Legend'}
      </Button>
      {legend && <Legend palette={palette} />}
      {tip && hover && (
        <div
          className={s.tip}
          style={{
            left: Math.min(hover.sx + 12, Math.max(0, width - 300)),
            top: Math.min(hover.sy + 12, Math.max(0, height - 120)),
          }}
          data-testid="hmx-tooltip"
        >
          <strong>{tip.title}</strong>
          {tip.rows.map((r) => (
            <div key={r.label}>
              {r.label}: {r.value}
            </div>
          ))}
        </div>
      )}
      {details && (
        <Details title={details.title} rows={details.rows} links={details.links} onClose={() => setSelection(null)} />
      )}
      <div className={s.sr} aria-live="polite" data-testid="hmx-announcer">
        {announce}
      </div>
    </div>
  );
}
