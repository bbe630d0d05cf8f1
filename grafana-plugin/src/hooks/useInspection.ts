import { useMemo, useState } from 'react';
import { Description, Target, describeTarget } from '../model/describe';
import { Scene } from '../model/scene';
import { drawnAt, drawnOptions, emptyDrawn } from '../render/drawnState';
import { pickAt } from '../render/pick';
import { LOOK, presence } from '../render/presence';
import { View } from '../render/view';
import { PanelOptions } from '../types';
import { PlayheadStore, usePlayhead } from './playheadStore';
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
 * snapshot at the UI-rate playhead, independent of the render loop's buffers; it follows the playhead only while
 * something is hovered, selected or focused, the counts of what is shown always (re-rendering when they change).
 */
export function useInspection({
  scene,
  options,
  visible,
  playhead,
  liveTime,
  cache,
  viewRef,
}: {
  scene: Scene;
  options: PanelOptions;
  visible: Uint8Array;
  playhead: PlayheadStore;
  /** live over stored data: the instant shown, instead of the playhead */
  liveTime?: number;
  cache: SceneCache;
  viewRef: React.MutableRefObject<View>;
}): Inspection {
  const [hover, setHover] = useState<Hover>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [focused, setFocused] = useState<number | undefined>(undefined);
  const pick = (sx: number, sy: number) =>
    pickAt(scene, cache.compute().look, viewRef.current, cache.statsRef.current?.edgeMode, sx, sy);

  const { hasState } = cache;
  const { ghostSeconds, flashSeconds } = options;
  const inspecting = hover !== null || selection !== null || focused !== undefined;
  const t = usePlayhead(playhead, (p) => (inspecting ? (liveTime ?? p) : undefined), [inspecting, liveTime]);
  const shown = useMemo(() => {
    if (t === undefined) {
      return undefined;
    }
    const o = drawnOptions({ ghostSeconds, flashSeconds }, visible, hasState);
    const state = scene.index.snapshotAt(t);
    return { state, ...drawnAt(scene, state, t, o, emptyDrawn(scene)) };
  }, [scene, t, visible, hasState, ghostSeconds, flashSeconds]);
  const tip = useMemo(
    () => (hover && shown && t !== undefined ? describeTarget(scene, shown, hover, t, options) : undefined),
    [hover, scene, shown, t, options]
  );
  const details = useMemo(
    () => (selection && shown && t !== undefined ? describeTarget(scene, shown, selection, t, options) : undefined),
    [selection, scene, shown, t, options]
  );
  const announce =
    focused !== undefined && shown && t !== undefined
      ? (describeTarget(scene, shown, { entity: focused }, t, options)?.summary ?? '')
      : '';
  // "nodes/actors" shown at the playhead: a string, so that a tick re-renders only when a count changes
  const shownCounts = usePlayhead(
    playhead,
    (p) => {
      const reg = scene.index.registry;
      const look = presence(
        {
          reg,
          state: scene.index.snapshotAt(liveTime ?? p),
          t: liveTime ?? p,
          ...drawnOptions({ ghostSeconds, flashSeconds }, visible, hasState),
        },
        new Uint8Array(reg.size)
      );
      let nodes = 0;
      let actors = 0;
      for (let i = 0; i < reg.size; i++) {
        if (look[i] !== LOOK.HIDDEN) {
          reg.kinds[i] === 'node' ? nodes++ : actors++;
        }
      }
      return `${nodes}/${actors}`;
    },
    [scene, liveTime, ghostSeconds, flashSeconds, visible, hasState]
  );
  const counts = useMemo(() => {
    const [nodes, actors] = shownCounts.split('/').map(Number);
    return { nodes, actors };
  }, [shownCounts]);

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
