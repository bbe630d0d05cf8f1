import { useCallback, useEffect, useMemo, useRef } from 'react';
import { StateArrays } from '../model/ops';
import { Scene } from '../model/scene';
import { FrameStats } from '../render/draw';
import { Drawn, copyDrawn, drawnAt, drawnOptions, emptyDrawn } from '../render/drawnState';
import { Palette } from '../render/palette';
import { nodeHasState } from '../render/presence';
import { PanelOptions } from '../types';

export interface FrameState extends Drawn {
  t: number;
  state?: StateArrays;
  /** the filter mask when the scene was last reset */
  visible: Uint8Array;
}

export interface SceneCache {
  /** what is drawn at the render loop's playhead; recomputed only when the playhead moved */
  compute: () => FrameState;
  /** the state the last frame was computed from */
  frameRef: React.MutableRefObject<FrameState>;
  /** the cached layer (nodes, actors, edges, labels) must be redrawn */
  dirtyRef: React.MutableRefObject<boolean>;
  /** what the last redraw of the cached layer drew */
  statsRef: React.MutableRefObject<FrameStats | undefined>;
  /** per node: 1 if the node ever has state of its own */
  hasState: Uint8Array;
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

const freshFrame = (scene: Scene, visible: Uint8Array): FrameState => ({
  t: NaN,
  state: undefined,
  visible,
  ...emptyDrawn(scene),
});

/** The render loop's state at the playhead and whether the cached scene layer is out of date. */
export function useSceneCache(
  scene: Scene,
  options: PanelOptions,
  palette: Palette,
  visible: Uint8Array,
  playheadRef: React.MutableRefObject<number>
): SceneCache {
  const reg = scene.index.registry;
  const dirtyRef = useRef(true);
  const statsRef = useRef<FrameStats | undefined>(undefined);
  const frameRef = useRef<FrameState>(freshFrame(scene, visible));
  // what the previous frame drew, in buffers reused frame to frame (no garbage at 60 frames a second)
  const prevRef = useRef<Drawn>();
  const hasState = useMemo(() => nodeHasState(reg, scene.index.entity, scene.index.length), [reg, scene]);
  useEffect(() => {
    frameRef.current = freshFrame(scene, visible);
    dirtyRef.current = true;
  }, [scene, visible]);
  useEffect(() => {
    dirtyRef.current = true;
  }, [palette, options.particles, options.showLabels]);

  const { ghostSeconds, flashSeconds } = options;
  const compute = useCallback(() => {
    const fd = frameRef.current;
    const t = playheadRef.current;
    if (t === fd.t && fd.state) {
      return fd;
    }
    fd.state = scene.index.stateAt(t);
    const prev = (prevRef.current = copyDrawn(fd, prevRef.current));
    drawnAt(scene, fd.state, t, drawnOptions({ ghostSeconds, flashSeconds }, fd.visible, hasState), fd);
    fd.t = t;
    // redraw the cached scene only if what is drawn changed (during playback most frames do not)
    if (!sameArray(prev.look, fd.look) || !sameArray(prev.rates, fd.rates)) {
      dirtyRef.current = true;
    }
    return fd;
  }, [scene, ghostSeconds, flashSeconds, hasState, playheadRef]);
  return { compute, frameRef, dirtyRef, statsRef, hasState };
}
