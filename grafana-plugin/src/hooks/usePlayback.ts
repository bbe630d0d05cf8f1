import { useCallback, useEffect, useRef, useState } from 'react';
import { DataHoverEvent, EventBus } from '@grafana/data';
import { PlayheadStore } from './playheadStore';

export const SPEEDS = [1, 10, 60, 600, 3600] as const;

export interface Playback {
  /** the playhead at UI rate, for the components that show it (usePlayhead) */
  playhead: PlayheadStore;
  /** always-current playhead for the render loop */
  playheadRef: React.MutableRefObject<number>;
  playing: boolean;
  live: boolean;
  speed: number;
  seek: (t: number) => void;
  setPlaying: (p: boolean) => void;
  setLive: (l: boolean) => void;
  setSpeed: (s: number) => void;
}

const UI_UPDATE_MS = 50;

/** Replay cursor inside [from, to]: play/pause at a speed, live mode following the range end,
 * and the shared crosshair published on the dashboard event bus when the user moves it. */
export function usePlayback(from: number, to: number, liveDefault: boolean, eventBus?: EventBus): Playback {
  const [live, setLiveState] = useState(liveDefault);
  const [playing, setPlayingState] = useState(false);
  const [speed, setSpeed] = useState(60);
  const [playhead] = useState(() => new PlayheadStore(liveDefault ? to : from));
  const ref = useRef(playhead.get());
  const setPlayhead = useCallback((t: number) => playhead.set(t), [playhead]);
  const publish = useCallback(
    (t: number) => {
      eventBus?.publish(new DataHoverEvent({ point: { time: t } }));
    },
    [eventBus]
  );
  const seek = useCallback(
    (t: number) => {
      const c = Math.min(to, Math.max(from, t));
      ref.current = c;
      setPlayhead(c);
      setLiveState(false);
      publish(c);
    },
    [from, to, publish, setPlayhead]
  );
  // live: follow the end of the range on every refresh; otherwise clamp into the new range
  useEffect(() => {
    const c = live ? to : Math.min(to, Math.max(from, ref.current));
    ref.current = c;
    setPlayhead(c);
  }, [from, to, live, setPlayhead]);
  const setLive = useCallback((l: boolean) => {
    setLiveState(l);
    if (l) {
      setPlayingState(false);
    }
  }, []);
  const setPlaying = useCallback(
    (p: boolean) => {
      if (p) {
        setLiveState(false);
        if (ref.current >= to) {
          ref.current = from;
        }
      }
      setPlayingState(p);
    },
    [from, to]
  );
  useEffect(() => {
    if (!playing) {
      return;
    }
    let raf = 0;
    let last = performance.now();
    let lastUi = 0;
    const tick = (now: number) => {
      const dt = now - last;
      last = now;
      const next = Math.min(to, ref.current + dt * speed);
      ref.current = next;
      if (now - lastUi > UI_UPDATE_MS || next >= to) {
        lastUi = now;
        setPlayhead(next);
        publish(next);
      }
      if (next >= to) {
        setPlayingState(false);
        return;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, speed, to, publish, setPlayhead]);
  return { playhead, playheadRef: ref, playing, live, speed, seek, setPlaying, setLive, setSpeed };
}
