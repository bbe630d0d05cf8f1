import { Scene } from './scene';
import { GEOMETRY } from './layout';

function distToSegment(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
  const x = x1 + u * dx - px;
  const y = y1 + u * dy - py;
  return Math.sqrt(x * x + y * y);
}

/** Nearest drawn edge to a world point within `tol` world units (actor edges, or node edges when
 * zoomed out). Linear scan over the edges: fast enough for 20k edges on a pointer event. */
export function nearestEdge(
  scene: Scene,
  shown: Uint8Array,
  nodeLevel: boolean,
  wx: number,
  wy: number,
  tol: number
): number | undefined {
  const e = scene.edges;
  const n = nodeLevel ? e.nodeFrom.length : e.size;
  const cx = nodeLevel ? scene.layout.boxW / 2 : 0;
  const cy = nodeLevel ? scene.layout.boxH / 2 : 0;
  let best: number | undefined;
  let bestD = tol;
  for (let k = 0; k < n; k++) {
    const a = nodeLevel ? e.nodeFrom[k] : e.from[k];
    const b = nodeLevel ? e.nodeTo[k] : e.to[k];
    if (!shown[a] || !shown[b]) {
      continue;
    }
    const d = distToSegment(wx, wy, scene.px[a] + cx, scene.py[a] + cy, scene.px[b] + cx, scene.py[b] + cy);
    if (d <= bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

export const EDGE_TOLERANCE_PX = Math.max(4, GEOMETRY.actorGap);
