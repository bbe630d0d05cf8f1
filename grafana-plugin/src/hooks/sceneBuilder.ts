import { DataFrame } from '@grafana/data';
import { Layout, LayoutMemory } from '../model/layout';
import { buildScene, Scene, sceneSteps } from '../model/scene';
import { PanelOptions } from '../types';
import { SlicedRun, SliceOptions } from './sliceRunner';

export interface BuiltScene {
  scene: Scene | Error;
  /** the scene of the frames asked for is still being built in slices: `scene` is the one shown before */
  pending: boolean;
}

/** What a scene is built from (with the previous layout, whose slots it keeps). */
export interface SceneInput {
  series: DataFrame[] | undefined;
  options: PanelOptions;
  from: number;
  to: number;
}

interface Shown extends SceneInput {
  scene: Scene | Error;
}

/** A scene being built in slices, with what it is built from. */
interface Ahead extends SceneInput {
  prev?: Layout;
  run: SlicedRun<Scene>;
}

const sameFrames = (a: DataFrame[] | undefined, b: DataFrame[] | undefined) =>
  a === b || (!!a && !!b && a.length === b.length && a.every((f, i) => f === b[i]));

const roles = (o: PanelOptions) => [o.nodesRefId, o.actorsRefId, o.flowsRefId, o.eventsRefId].join('\u0000');

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

function safeBuild(i: SceneInput, prev?: Layout): Scene | Error {
  try {
    return buildScene(i.series, i.options, i.from, i.to, prev);
  } catch (e) {
    return asError(e);
  }
}

function settle(run: SlicedRun<Scene>): Scene | Error {
  try {
    return run.finishNow();
  } catch (e) {
    return asError(e);
  }
}

/**
 * The panel's scenes: the one of the frames shown, rebuilt when the frames (compared one by one: a new array of the
 * same frames is the same input), the query roles or the range change, never per frame, each layout keeping the
 * previous one's slots; and the one of the window the playhead reaches next, built ahead in slices between frames,
 * so that reaching it is a pointer swap. A scene built ahead is taken only when it was built from the same frames,
 * options, range and previous layout as a build at once would be.
 */
export class SceneBuilder {
  private readonly memory = new LayoutMemory();
  private shown?: Shown;
  private ahead?: Ahead;

  constructor(private readonly slices?: Partial<SliceOptions>) {}

  /** The scene of `input`. Frames whose scene is still being built ahead keep the scene shown before (`pending`)
   * while `wait`, else the steps left run at once. */
  sceneOf(input: SceneInput, wait: boolean): BuiltScene {
    const s = this.shown;
    if (
      s &&
      sameFrames(s.series, input.series) &&
      roles(s.options) === roles(input.options) &&
      s.from === input.from &&
      s.to === input.to
    ) {
      return { scene: s.scene, pending: false };
    }
    const ahead = this.fits(this.ahead, input) ? this.ahead!.run : undefined;
    if (s && wait && ahead && !ahead.done) {
      return { scene: s.scene, pending: true };
    }
    const scene = ahead ? settle(ahead) : safeBuild(input, this.memory.previous);
    if (!(scene instanceof Error)) {
      this.memory.remember(scene.layout);
    }
    this.shown = { ...input, scene };
    return { scene, pending: false };
  }

  /** Starts building the scene of `next` (the shown scene's options and range) in slices, unless it is built or
   * being built already; `onBuilt` runs when its last slice ran. A scene built ahead stays until another one is
   * started (the playhead may be between windows, the next one not known yet). */
  buildAhead(next: DataFrame[] | undefined, onBuilt: () => void): void {
    const s = this.shown;
    if (!s || s.scene instanceof Error || !next || sameFrames(next, s.series)) {
      return;
    }
    const input = { series: next, options: s.options, from: s.from, to: s.to };
    if (this.fits(this.ahead, input)) {
      return;
    }
    this.ahead?.run.cancel();
    const prev = this.memory.previous;
    const steps = sceneSteps(next, s.options, s.from, s.to, prev);
    this.ahead = { ...input, prev, run: new SlicedRun(steps, onBuilt, this.slices) };
  }

  /** Stops and drops the scene being built ahead (a later `buildAhead` starts it again). */
  cancel(): void {
    this.ahead?.run.cancel();
    this.ahead = undefined;
  }

  private fits(a: Ahead | undefined, i: SceneInput): boolean {
    return (
      !!a &&
      sameFrames(a.series, i.series) &&
      a.options === i.options &&
      a.from === i.from &&
      a.to === i.to &&
      a.prev === this.memory.previous
    );
  }
}
