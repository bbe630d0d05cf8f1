import { useEffect, useRef, useState } from 'react';
import { DataFrame } from '@grafana/data';
import { Layout, LayoutMemory } from '../model/layout';
import { buildScene, Scene, sceneSteps } from '../model/scene';
import { PanelOptions } from '../types';
import { SlicedRun, SliceOptions } from './sliceRunner';

export interface BuiltScene {
  scene: Scene | Error;
  /** the scene of `series` is still being built in slices: `scene` is the one shown before (the canvas dims) */
  pending: boolean;
}

interface Shown {
  series?: DataFrame[];
  roles: string;
  from: number;
  to: number;
  scene: Scene | Error;
}

/** A scene being built in slices, with what it is built from. */
interface Ahead {
  series: DataFrame[];
  options: PanelOptions;
  from: number;
  to: number;
  prev?: Layout;
  run: SlicedRun<Scene>;
}

const sameFrames = (a: DataFrame[] | undefined, b: DataFrame[] | undefined) =>
  a === b || (!!a && !!b && a.length === b.length && a.every((f, i) => f === b[i]));

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

function safeBuild(series: DataFrame[] | undefined, o: PanelOptions, from: number, to: number, prev?: Layout) {
  try {
    return buildScene(series, o, from, to, prev);
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
 * The scene of `series`, rebuilt when the frames (compared one by one: a new array of the same frames is the same
 * input), the query roles or the range change (never per frame), each
 * layout keeping the previous one's slots. `next` (the frames of the window the playhead reaches next) is built
 * ahead in slices between frames, so that reaching it is a pointer swap; reaching it before its last slice ran
 * keeps the scene shown before, `pending`, while `wait` (playing), else runs the rest at once. The scene built
 * ahead is taken only when it was built from the same frames, options, range and previous layout as a build at
 * once would be.
 */
export function useScene(
  series: DataFrame[] | undefined,
  options: PanelOptions,
  from: number,
  to: number,
  next: DataFrame[] | undefined,
  wait: boolean,
  slices?: Partial<SliceOptions>
): BuiltScene {
  const [memory] = useState(() => new LayoutMemory());
  const shown = useRef<Shown>();
  const ahead = useRef<Ahead>();
  const [, setBuilt] = useState(0);
  const { nodesRefId, actorsRefId, flowsRefId, eventsRefId } = options;
  const roles = [nodesRefId, actorsRefId, flowsRefId, eventsRefId].join('\u0000');
  const fits = (a: Ahead | undefined, s: DataFrame[] | undefined): boolean =>
    !!a &&
    sameFrames(a.series, s) &&
    a.options === options &&
    a.from === from &&
    a.to === to &&
    a.prev === memory.previous;
  let pending = false;
  const s = shown.current;
  if (!s || !sameFrames(s.series, series) || s.roles !== roles || s.from !== from || s.to !== to) {
    const a = ahead.current;
    const built = fits(a, series) ? a!.run : undefined;
    if (s && wait && built && !built.done) {
      pending = true;
    } else {
      const scene = built ? settle(built) : safeBuild(series, options, from, to, memory.previous);
      if (!(scene instanceof Error)) {
        memory.remember(scene.layout);
      }
      shown.current = { series, roles, from, to, scene };
    }
  }
  const current = shown.current!.scene;

  useEffect(() => {
    // a scene built ahead stays until another is: the playhead may be between windows, `next` not known yet
    if (pending || !next || fits(ahead.current, next) || sameFrames(next, series) || current instanceof Error) {
      return;
    }
    ahead.current?.run.cancel();
    ahead.current = {
      series: next,
      options,
      from,
      to,
      prev: memory.previous,
      run: new SlicedRun(sceneSteps(next, options, from, to, memory.previous), () => setBuilt((n) => n + 1), slices),
    };
  });
  useEffect(() => () => ahead.current?.run.cancel(), []);
  return { scene: current, pending };
}
