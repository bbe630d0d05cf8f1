import { useEffect, useState } from 'react';
import { DataFrame } from '@grafana/data';
import { PanelOptions } from '../types';
import { BuiltScene, SceneBuilder } from './sceneBuilder';
import { SliceOptions } from './sliceRunner';

/** The scene of `series` (see SceneBuilder); `next`, the frames of the window the playhead reaches next, is built
 * ahead in slices. Reaching it before its last slice ran keeps the scene shown before, `pending`, while `wait`
 * (playing). */
export function useScene(
  series: DataFrame[] | undefined,
  options: PanelOptions,
  from: number,
  to: number,
  next: DataFrame[] | undefined,
  wait: boolean,
  slices?: Partial<SliceOptions>
): BuiltScene {
  // a plain holder object, kept across renders; what it holds changes only with the inputs
  const [builder] = useState(() => new SceneBuilder(slices));
  const [, setBuilt] = useState(0);
  const built = builder.sceneOf({ series, options, from, to }, wait);
  const { pending } = built;
  useEffect(() => {
    if (!pending) {
      builder.buildAhead(next, () => setBuilt((n) => n + 1));
    }
  });
  useEffect(() => () => builder.cancel(), [builder]);
  return built;
}
