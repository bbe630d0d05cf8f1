/** Pan/zoom transform: screen = (world - origin) * scale. */
export interface View {
  x: number;
  y: number;
  scale: number;
}

/** The whole world in view, centred, `margin` px around it and `top` px more kept free at the top (for chrome). */
export function fitView(worldW: number, worldH: number, width: number, height: number, margin = 16, top = 0): View {
  const scale = Math.max(
    0.01,
    Math.min((width - 2 * margin) / Math.max(1, worldW), (height - top - 2 * margin) / Math.max(1, worldH), 4)
  );
  return { x: -(width / scale - worldW) / 2, y: -((height - top) / scale - worldH) / 2 - top / scale, scale };
}

export function toWorld(v: View, sx: number, sy: number): [number, number] {
  return [sx / v.scale + v.x, sy / v.scale + v.y];
}

/** Zoom by `factor` keeping the world point under (sx, sy) fixed. */
export function zoomAt(v: View, sx: number, sy: number, factor: number): View {
  const scale = Math.min(40, Math.max(0.005, v.scale * factor));
  const [wx, wy] = toWorld(v, sx, sy);
  return { scale, x: wx - sx / scale, y: wy - sy / scale };
}

export function pan(v: View, dxScreen: number, dyScreen: number): View {
  return { ...v, x: v.x - dxScreen / v.scale, y: v.y - dyScreen / v.scale };
}
