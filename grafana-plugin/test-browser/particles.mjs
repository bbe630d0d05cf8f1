// Particles checked against what is on the screen: right after an animation frame, every particle the
// canvas drew (hmx.particles()) is looked up in the canvas pixels, just beyond its dot along its edge.

/** Distance from point p to segment e = [x1, y1, x2, y2] (CSS px). */
export function distanceToSegment([x, y], [x1, y1, x2, y2]) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / len2));
  return Math.hypot(x - (x1 + u * dx), y - (y1 + u * dy));
}

/**
 * In the page, in the animation frame after the next one (so the frame read is one the canvas drew):
 * { particles, edges, onScreen } where `onScreen` lists the particles with no drawn line beside them. A
 * particle's edge is the nearest one the model says carries flow (hmx.flowingEdges()); the pixels 4–5 px
 * from the particle's centre along that edge, on both sides, must not both be the canvas background or a
 * node's fill (the two commonest colours), which is what a particle floating in empty space has around it.
 * Particles near an edge's ends (inside actor boxes) or beyond the canvas border are not judged.
 */
export function sampleOnScreen(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const c = document.querySelector('[data-testid="hmx-canvas"]');
            const h = c.hmx;
            const dpr = c.width / c.clientWidth;
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const at = (x, y) => {
              const X = Math.round(x * dpr);
              const Y = Math.round(y * dpr);
              if (X < 1 || Y < 1 || X >= c.width - 1 || Y >= c.height - 1) {
                return undefined;
              }
              return (Y * c.width + X) * 4;
            };
            // the commonest colours: background and node fill
            const counts = new Map();
            for (let o = 0; o < data.length; o += 4 * 97) {
              const k = (data[o] << 16) | (data[o + 1] << 8) | data[o + 2];
              counts.set(k, (counts.get(k) ?? 0) + 1);
            }
            const plain = [...counts.entries()]
              .sort((a, b) => b[1] - a[1])
              .slice(0, 2)
              .map(([k]) => [k >> 16, (k >> 8) & 255, k & 255]);
            const isPlain = (o) =>
              plain.some(
                (p) => Math.abs(data[o] - p[0]) + Math.abs(data[o + 1] - p[1]) + Math.abs(data[o + 2] - p[2]) <= 12
              );
            // a 3×3 patch that is all plain colour: nothing drawn there
            const empty = (x, y) => {
              for (let j = -1; j <= 1; j++) {
                for (let i = -1; i <= 1; i++) {
                  const o = at(x + i / dpr, y + j / dpr);
                  if (o === undefined) {
                    return undefined;
                  }
                  if (!isPlain(o)) {
                    return false;
                  }
                }
              }
              return true;
            };
            const particles = h.particles();
            const edges = h.flowingEdges();
            const onScreen = [];
            for (const p of particles) {
              let best;
              let bd = Infinity;
              for (const e of edges) {
                const dx = e[2] - e[0];
                const dy = e[3] - e[1];
                const l2 = dx * dx + dy * dy;
                const u = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - e[0]) * dx + (p[1] - e[1]) * dy) / l2));
                const d = Math.hypot(p[0] - (e[0] + u * dx), p[1] - (e[1] + u * dy));
                if (d < bd) {
                  bd = d;
                  best = e;
                }
              }
              const len = best ? Math.hypot(best[2] - best[0], best[3] - best[1]) : 0;
              if (
                !best ||
                len < 40 ||
                Math.hypot(p[0] - best[0], p[1] - best[1]) < 15 ||
                Math.hypot(p[0] - best[2], p[1] - best[3]) < 15
              ) {
                continue;
              }
              const ux = (best[2] - best[0]) / len;
              const uy = (best[3] - best[1]) / len;
              const sides = [4.5, -4.5].map((k) => empty(p[0] + k * ux, p[1] + k * uy));
              if (sides.every((s) => s === true)) {
                onScreen.push({ p: p.map(Math.round), nearestModelEdge: bd });
              }
            }
            resolve({
              particles,
              edges,
              onScreen,
              t: Number(document.querySelector('[data-testid="hmx-track"]')?.getAttribute('aria-valuenow')),
            });
          })
        )
      )
  );
}
