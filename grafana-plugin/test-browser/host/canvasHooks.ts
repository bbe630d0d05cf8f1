// The canvas's read-only test and benchmark hooks (canvas.hmx), installed from the host through the panel's
// canvas probe: the shipped panel only reports its frames to a probe when one is set, and Grafana sets none.
import { CanvasProbe, PresentedParticles, ProbedCanvas } from '../../src/render/probe';
import { FrameStats } from '../../src/render/draw';
import { forEachParticle } from '../../src/render/edges';
import { LOOK } from '../../src/render/presence';
import { entityOnScreen, nodeRectOnScreen } from '../../src/render/screen';
import { View } from '../../src/render/view';

export interface CanvasDebug {
  stats?: FrameStats;
  /** duration (ms) of the last frames: state seek + presence + rates + draw */
  frameMs: number[];
  /** frames that redrew the cached scene vs. frames that only moved particles */
  staticMs: number[];
  animMs: number[];
  /** redraws that repainted only the cells of changed entities, and the cells they repainted */
  cellRedraws: number;
  cells: number;
  screenOf: (id: string, kind: 'node' | 'actor') => [number, number] | undefined;
  rectOf: (id: string) => [number, number, number, number] | undefined;
  view: () => View;
  /** screen positions (CSS px) of the particles in the last presented frame */
  particles: () => Array<[number, number]>;
  /** screen segments of every edge that carries flow in the state of the last frame (both ends shown, rate > 0): actor and node-pair edges */
  flowingEdges: () => Array<[number, number, number, number]>;
}

const FRAME_SAMPLES = 600;

function pushSample(xs: number[], v: number): void {
  xs.push(v);
  if (xs.length > FRAME_SAMPLES) {
    xs.shift();
  }
}

function particlesOnScreen(p: PresentedParticles | undefined): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (p) {
    forEachParticle(p.segments, p.anim, p.width, p.height, (x, y) =>
      out.push([x * p.ratio + p.ox, y * p.ratio + p.oy])
    );
  }
  return out;
}

function flowingEdges({ scene, view, drawn }: ProbedCanvas): Array<[number, number, number, number]> {
  // the state the last frame was drawn from (not recomputed: the playhead may have moved since)
  const { look, rates, nodeRates } = drawn();
  const v = view();
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
}

/** A probe that hangs CanvasDebug on each canvas as `canvas.hmx`. With `measureRaster`, each frame's time
 * includes rasterisation (a 1-pixel read back forces it), as the frame benchmark wants; with `fullRedraws`, the
 * panel repaints all of its layer at every redraw. */
export function canvasHooks(measureRaster: boolean, fullRedraws = false): CanvasProbe {
  return {
    fullRedraws,
    attach(c) {
      const el = c.canvas as HTMLCanvasElement & { hmx?: CanvasDebug };
      const reg = c.scene.index.registry;
      // the samples and the last stats outlive a render loop restart (scene, size or option change)
      const prev = el.hmx;
      const hmx: CanvasDebug = {
        stats: prev?.stats,
        frameMs: prev?.frameMs ?? [],
        staticMs: prev?.staticMs ?? [],
        animMs: prev?.animMs ?? [],
        cellRedraws: prev?.cellRedraws ?? 0,
        cells: prev?.cells ?? 0,
        view: c.view,
        screenOf: (id, kind) => {
          const i = kind === 'node' ? reg.nodeIndex(id) : reg.actorIndex(id);
          return i === undefined ? undefined : entityOnScreen(c.scene, c.view(), i);
        },
        rectOf: (id) => {
          const i = reg.nodeIndex(id);
          return i === undefined ? undefined : nodeRectOnScreen(c.scene, c.view(), i);
        },
        particles: () => [],
        flowingEdges: () => flowingEdges(c),
      };
      el.hmx = hmx;
      return {
        frame(f) {
          if (measureRaster) {
            f.ctx.getImageData(0, 0, 1, 1);
          }
          const ms = performance.now() - f.startedAt;
          hmx.stats = f.stats;
          hmx.particles = () => particlesOnScreen(f.particles);
          pushSample(hmx.frameMs, ms);
          pushSample(f.redraw ? hmx.staticMs : hmx.animMs, ms);
          if (f.cells !== undefined) {
            hmx.cellRedraws++;
            hmx.cells += f.cells;
          }
        },
      };
    },
  };
}
