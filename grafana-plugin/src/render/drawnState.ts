import { StateArrays } from '../model/ops';
import { Scene } from '../model/scene';
import { presence } from './presence';
import { PanelOptions } from '../types';

/** What the canvas shows at an instant: how each entity is drawn and each edge's rate. */
export interface Drawn {
  look: Uint8Array;
  rates: Float64Array;
  nodeRates: Float64Array;
}

export interface DrawnOptions {
  ghostMs: number;
  flashMs: number;
  visible: Uint8Array;
  nodeHasState: Uint8Array;
}

/** The panel's ghost and flash times with a filter mask, as `drawnAt` takes them. */
export function drawnOptions(
  o: Pick<PanelOptions, 'ghostSeconds' | 'flashSeconds'>,
  visible: Uint8Array,
  nodeHasState: Uint8Array
): DrawnOptions {
  return { ghostMs: o.ghostSeconds * 1000, flashMs: o.flashSeconds * 1000, visible, nodeHasState };
}

export function emptyDrawn(scene: Scene): Drawn {
  return {
    look: new Uint8Array(scene.index.registry.size),
    rates: new Float64Array(scene.edges.size),
    nodeRates: new Float64Array(scene.edges.nodeFrom.length),
  };
}

/** Fills `out` with what is drawn at t from `state` (the index's state at t). */
export function drawnAt(scene: Scene, state: StateArrays, t: number, o: DrawnOptions, out: Drawn): Drawn {
  presence({ reg: scene.index.registry, state, t, ...o }, out.look);
  scene.edges.ratesAt(t, out.rates);
  scene.edges.aggregate(out.rates, out.nodeRates);
  return out;
}

/** A copy of `d` in `into` when its buffers fit (the render loop's buffers are reused frame to frame). */
export function copyDrawn(d: Drawn, into?: Drawn): Drawn {
  if (!into || into.look.length !== d.look.length || into.rates.length !== d.rates.length) {
    return { look: d.look.slice(), rates: d.rates.slice(), nodeRates: d.nodeRates.slice() };
  }
  into.look.set(d.look);
  into.rates.set(d.rates);
  into.nodeRates.set(d.nodeRates);
  return into;
}
