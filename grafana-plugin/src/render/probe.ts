import { Scene } from '../model/scene';
import { FrameStats } from './draw';
import { Drawn } from './drawnState';
import { ParticleSegments } from './edges';
import { View } from './view';

/** A canvas as its render loop draws it, for a probe to read; the panel itself never reads it. */
export interface ProbedCanvas {
  canvas: HTMLCanvasElement;
  scene: Scene;
  /** the current view (it may be newer than the last presented frame's) */
  view: () => View;
  /** presence and rates the last frame was drawn from */
  drawn: () => Drawn;
}

/** Particles of a presented frame: in the cached layer's coordinates, moved to the screen by ratio and offset. */
export interface PresentedParticles {
  segments: ParticleSegments;
  anim: number;
  width: number;
  height: number;
  ratio: number;
  ox: number;
  oy: number;
}

export interface PresentedFrame {
  ctx: CanvasRenderingContext2D;
  /** performance.now() when the frame's work began */
  startedAt: number;
  /** the cached layer was redrawn (otherwise it was only blitted, with particles moved) */
  redraw: boolean;
  /** the redraw repainted only this many cells (entities whose look changed); undefined: all of the layer */
  cells?: number;
  stats: FrameStats;
  particles?: PresentedParticles;
}

export interface CanvasFrameProbe {
  frame(f: PresentedFrame): void;
}

/** Watches canvases as they draw (the browser tests and benchmarks install one; Grafana never does). */
export interface CanvasProbe {
  /** a render loop started on a canvas (again after a scene, size or option change) */
  attach(c: ProbedCanvas): CanvasFrameProbe;
  /** every redraw repaints all of the layer (a test compares this with the panel's cell by cell repaints) */
  fullRedraws?: boolean;
}

let probe: CanvasProbe | undefined;

export function setCanvasProbe(p: CanvasProbe | undefined): void {
  probe = p;
}

export function canvasProbe(): CanvasProbe | undefined {
  return probe;
}
