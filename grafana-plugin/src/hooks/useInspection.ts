import { useMemo, useState } from 'react';
import { Description, Target, describeTarget } from '../model/describe';
import { Scene } from '../model/scene';
import { drawnAt, drawnOptions, emptyDrawn } from '../render/drawnState';
import { pickAt } from '../render/pick';
import { LOOK } from '../render/presence';
import { View } from '../render/view';
import { PanelOptions } from '../types';
import { SceneCache } from './useSceneCache';

export type Hover = (Target & { sx: number; sy: number }) | null;
export type Selection = Pick<Target, 'entity' | 'edge'> | null;

export interface Inspection {
  hover: Hover;
  selection: Selection;
  /** keyboard focus (an entity) */
  focused?: number;
  hoverAt: (sx: number, sy: number) => void;
  clearHover: () => void;
  /** click: select what is under the point (and focus it if it is an entity) */
  selectAt: (sx: number, sy: number) => void;
  select: (s: Selection) => void;
  focus: (i: number) => void;
  tip?: Description;
  details?: Description;
  /** the focused entity in one sentence, for screen readers */
  announce: string;
  counts: { nodes: number; actors: number };
}

/**
 * What the pointer hovers, what is selected and focused, and their text. The text is derived from a detached
 * snapshot at the UI-rate playhead, independent of the render loop's buffers.
 */
export function useInspection({
  scene,
  options,
  visible,
  playhead,
  cache,
  viewRef,
}: {
  scene: Scene;
  options: PanelOptions;
  visible: Uint8Array;
  /** changes at UI rate */
  playhead: number;
  cache: SceneCache;
  viewRef: React.MutableRefObject<View>;
}): Inspection {
  const [hover, setHover] = useState<Hover>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [focused, setFocused] = useState<number | undefined>(undefined);
  const pick = (sx: number, sy: number) =>
    pickAt(scene, cache.compute().look, viewRef.current, cache.statsRef.current?.edgeMode, sx, sy);

  const t = playhead;
  const { hasState } = cache;
  const { ghostSeconds, flashSeconds } = options;
  const shown = useMemo(() => {
    const o = drawnOptions({ ghostSeconds, flashSeconds }, visible, hasState);
    const state = scene.index.snapshotAt(t);
    return { state, ...drawnAt(scene, state, t, o, emptyDrawn(scene)) };
  }, [scene, t, visible, hasState, ghostSeconds, flashSeconds]);
  const tip = useMemo(
    () => (hover ? describeTarget(scene, shown, hover, t, options) : undefined),
    [hover, scene, shown, t, options]
  );
  const details = useMemo(
    () => (selection ? describeTarget(scene, shown, selection, t, options) : undefined),
    [selection, scene, shown, t, options]
  );
  const announce =
    focused !== undefined ? (describeTarget(scene, shown, { entity: focused }, t, options)?.summary ?? '') : '';
  const counts = useMemo(() => {
    const reg = scene.index.registry;
    let nodes = 0;
    let actors = 0;
    for (let i = 0; i < reg.size; i++) {
      if (shown.look[i] !== LOOK.HIDDEN) {
        reg.kinds[i] === 'node' ? nodes++ : actors++;
      }
    }
    return { nodes, actors };
  }, [shown, scene]);

  return {
    hover,
    selection,
    focused,
    hoverAt: (sx, sy) => {
      const target = pick(sx, sy);
      setHover(target ? { sx, sy, ...target } : null);
    },
    clearHover: () => setHover(null),
    selectAt: (sx, sy) => {
      const target = pick(sx, sy);
      setSelection(target ? { entity: target.entity, edge: target.edge } : null);
      if (target?.entity !== undefined) {
        setFocused(target.entity);
      }
    },
    select: setSelection,
    focus: setFocused,
    tip,
    details,
    announce,
    counts,
  };
}
