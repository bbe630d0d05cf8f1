import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Scene } from '../model/scene';
import { View, fitView, pan, zoomAt } from '../render/view';

/** Kept free above the fitted picture: the edge note sits there, so no label is drawn under it. */
const NOTE_STRIP = 28;
/** pointer travel (px) before a press becomes a drag rather than a click */
const DRAG_SLOP = 3;

type PointerEvent = React.PointerEvent | React.WheelEvent | React.MouseEvent;

export interface PanZoom {
  view: View;
  /** always-current view for the render loop and pointer picking */
  viewRef: React.MutableRefObject<View>;
  /** screen point (CSS px) of a pointer event on the canvas */
  local: (e: PointerEvent) => [number, number];
  onPointerDown: (e: React.PointerEvent) => void;
  /** pans while dragging; true if this move panned (not a hover) */
  drag: (e: React.PointerEvent) => boolean;
  /** ends a press; true if it was a click (the pointer did not drag) */
  release: () => boolean;
  onWheel: (e: React.WheelEvent) => void;
  /** zoom by `factor` about the canvas centre */
  zoom: (factor: number) => void;
  panBy: (dx: number, dy: number) => void;
  fit: () => void;
}

/** Pan and zoom of the canvas: drag, wheel, keyboard zoom, and refit when the world changes size. */
export function usePanZoom(
  canvasRef: React.RefObject<HTMLCanvasElement>,
  scene: Scene,
  width: number,
  height: number
): PanZoom {
  const fitted = useCallback(
    () => fitView(scene.layout.width, scene.layout.height, width, height, 16, NOTE_STRIP),
    [scene, width, height]
  );
  const [view, setView] = useState<View>(fitted);
  const viewRef = useRef(view);
  useLayoutEffect(() => {
    viewRef.current = view;
  }, [view]);
  // refit when the world grows beyond the previous view's scene (first data, or a layout change)
  const fittedFor = useRef<Scene | null>(null);
  useEffect(() => {
    const prev = fittedFor.current;
    if (!prev || prev.layout.width !== scene.layout.width || prev.layout.height !== scene.layout.height) {
      setView(fitted());
    }
    fittedFor.current = scene;
  }, [scene, fitted]);

  const press = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const local = (e: PointerEvent): [number, number] => {
    const r = canvasRef.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const onPointerDown = (e: React.PointerEvent) => {
    press.current = { x: e.clientX, y: e.clientY, moved: false };
    (e.target as Element).setPointerCapture?.(e.pointerId);
  };
  const drag = (e: React.PointerEvent) => {
    const d = press.current;
    if (!d) {
      return false;
    }
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) <= DRAG_SLOP) {
      return false;
    }
    d.moved = true;
    d.x = e.clientX;
    d.y = e.clientY;
    setView((v) => pan(v, dx, dy));
    return true;
  };
  const release = () => {
    const d = press.current;
    press.current = null;
    return d !== null && !d.moved;
  };
  const onWheel = (e: React.WheelEvent) => {
    const [sx, sy] = local(e);
    setView((v) => zoomAt(v, sx, sy, Math.exp(-e.deltaY * 0.0015)));
  };
  return {
    view,
    viewRef,
    local,
    onPointerDown,
    drag,
    release,
    onWheel,
    zoom: (factor) => setView((v) => zoomAt(v, width / 2, height / 2, factor)),
    panBy: (dx, dy) => setView((v) => pan(v, dx, dy)),
    fit: () => setView(fitted()),
  };
}
