import { useEffect, useRef, useState } from 'react';
import { Scene } from '../model/scene';
import { drawFrame, drawOverlay, edgeNote } from '../render/draw';
import { ParticleSegments, drawParticles } from '../render/edges';
import { Palette } from '../render/palette';
import { Drawn, copyDrawn } from '../render/drawnState';
import { Cell, changedCells, clipToCells } from '../render/layerCells';
import { PresentedParticles, canvasProbe } from '../render/probe';
import { View } from '../render/view';
import { PanelOptions } from '../types';
import { PanZoom } from './usePanZoom';
import { SceneCache } from './useSceneCache';

/** Hover, selection and keyboard focus drawn over the scene. */
export interface Overlay {
  hovered?: number;
  selected?: number;
  focused?: number;
  selectedEdge?: number;
}

/** While panning or zooming, the cached layer is only transformed until the view has been still this long. */
const SETTLE_MS = 120;

/**
 * The render loop. The scene (nodes, actors, edges, labels) is drawn into a cached layer only when what is
 * drawn changes, and then only in the cells of the entities whose look changed when nothing else did (a state
 * change or flash at the playhead); animation frames blit it and move the particles. While panning/zooming the
 * cached layer is transformed and redrawn once the view has been still for SETTLE_MS. Returns the note above the
 * picture when edges were summed or left out.
 */
export function useRenderLoop({
  canvasRef,
  scene,
  options,
  palette,
  width,
  height,
  cache,
  panZoom,
  overlay,
}: {
  canvasRef: React.RefObject<HTMLCanvasElement>;
  scene: Scene;
  options: PanelOptions;
  palette: Palette;
  width: number;
  height: number;
  cache: SceneCache;
  panZoom: Pick<PanZoom, 'view' | 'viewRef'>;
  overlay: Overlay;
}): { note?: string } {
  const [note, setNote] = useState<string | undefined>(undefined);
  // overlay and view changes only need a present, not a scene redraw
  const overlayRef = useRef(overlay);
  const present = useRef(true);
  const viewChangedAt = useRef(0);
  const { hovered, selected, focused, selectedEdge } = overlay;
  useEffect(() => {
    overlayRef.current = { hovered, selected, focused, selectedEdge };
    present.current = true;
  }, [hovered, selected, focused, selectedEdge]);
  const { view, viewRef } = panZoom;
  useEffect(() => {
    present.current = true;
    viewChangedAt.current = performance.now();
  }, [view]);

  const { compute, dirtyRef, statsRef, frameRef } = cache;
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) {
      return;
    }
    const probing = canvasProbe();
    const probe = probing?.attach({
      canvas,
      scene,
      view: () => viewRef.current,
      drawn: () => frameRef.current,
    });
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
    // what the layer was last drawn from, to repaint only the cells that changed
    let layerDrawn: Drawn | undefined;
    dirtyRef.current = true;
    const frame = (now: number) => {
      const t0 = performance.now();
      const fd = compute();
      const v = viewRef.current;
      const settled = now - viewChangedAt.current > SETTLE_MS;
      const redraw = dirtyRef.current || (v !== layerView && (settled || !layerView));
      const animate = options.particles && segments.length > 0;
      if ((redraw || animate || present.current) && lctx) {
        let cells: Cell[] | undefined;
        if (redraw) {
          dirtyRef.current = false;
          if (v === layerView && layerDrawn && !probing?.fullRedraws) {
            const ranked = (statsRef.current?.omittedEdges ?? 0) > 0;
            cells = changedCells(scene, v, layerDrawn, fd, ranked);
          }
          layerView = v;
          lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
          // every redraw starts from the context's defaults (a full one and a clipped one draw alike)
          lctx.save();
          if (cells) {
            clipToCells(lctx, cells, dpr);
          }
          const drawn = drawFrame(lctx, {
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
          lctx.restore();
          layerDrawn = copyDrawn(fd, layerDrawn);
          statsRef.current = drawn;
          canvas.dataset.level = drawn.level;
          canvas.dataset.actors = String(drawn.actors);
          canvas.dataset.nodes = String(drawn.nodes);
          canvas.dataset.edges = String(drawn.edges);
          setNote(edgeNote(drawn));
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
        let particles: PresentedParticles | undefined;
        if (animate) {
          const anim = (now - start) / 1000;
          ctx.setTransform(dpr * ratio, 0, 0, dpr * ratio, ox * dpr, oy * dpr);
          // in the layer's coordinates: only where the layer has drawn its edges
          drawParticles(ctx, segments, anim, width, height, palette.particle, Math.max(1.5, Math.min(4, 3 * lv.scale)));
          particles = { segments, anim, width, height, ratio, ox, oy };
        }
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        drawOverlay(ctx, { scene, palette, view: v, ...overlayRef.current });
        probe?.frame({ ctx, startedAt: t0, redraw, cells: cells?.length, stats: statsRef.current!, particles });
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, [
    canvasRef,
    scene,
    palette,
    width,
    height,
    compute,
    dirtyRef,
    statsRef,
    frameRef,
    viewRef,
    options.particles,
    options.showLabels,
  ]);
  return { note };
}
