import { useEffect, useMemo, useRef, useState } from 'react';
import { DataFrame } from '@grafana/data';
import { PanelOptions } from '../types';
import { Cut } from './cuts';
import { Density, loadDensity } from './density';
import { recordsAndHeadsExpr } from './exprs';
import { KEYFRAME_HEADS_REF } from '../model/emitters';
import { LiveTail } from './liveTail';
import { StoredDataLoader } from './loader';
import { isKeyframeRow, LogRow } from './logRows';
import { datasourceRunner } from './query';
import { now as clockNow } from './clock';
import { LoadedWindow, linesFrame } from './window';
import { PlayheadStore, usePlayhead } from '../hooks/playheadStore';

export interface StoredData {
  active: boolean;
  /** the loaded window's frames (+ live rows), or undefined while nothing is loaded */
  frames?: DataFrame[];
  window?: LoadedWindow;
  /** while playing (not live): the window after the playhead's, once loaded */
  next?: LoadedWindow;
  density?: Density;
  /** things not shown in full, in words with their span */
  cuts: Cut[];
  /** a load in flight or failed: shown on the canvas */
  status?: string;
  /** newest time the live tail has read up to (live mode) */
  liveTime?: number;
  /** the playhead is outside the loaded window: what is drawn is not the state at the playhead */
  stale: boolean;
}

const LIVE_POLL_MS = 1000;

/** points per flow series in one window */
const FLOW_POINTS = 240;

export function storedDataActive(o: PanelOptions, from: number, to: number): boolean {
  return o.storedData === 'always' || (o.storedData === 'auto' && to - from > o.storedWindowMinutes * 60_000);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The stored data around the playhead: the window holding it (next one prefetched while playing),
 * the density over the whole range, and in live mode the newest records every second. */
export function useStoredData(
  o: PanelOptions,
  from: number,
  to: number,
  playhead: PlayheadStore,
  playing: boolean,
  live: boolean,
  bins: number
): StoredData {
  const active = storedDataActive(o, from, to);
  const windowMs = Math.max(5, o.storedWindowMinutes) * 60_000;
  const run = useMemo(() => datasourceRunner(o.lokiUid), [o.lokiUid]);
  const loader = useMemo(
    () =>
      new StoredDataLoader(run, {
        selector: o.lokiSelector,
        refId: o.eventsRefId,
        windowMs,
        now: clockNow,
        flows: o.prometheusUid
          ? { run: datasourceRunner(o.prometheusUid), refId: o.flowsRefId, bins: FLOW_POINTS }
          : undefined,
      }),
    [run, o.lokiSelector, o.eventsRefId, windowMs, o.prometheusUid, o.flowsRefId]
  );
  const [read, setLoaded] = useState<LoadedWindow>();
  // the window after the playhead's, with the loader that read it (the query options may have changed since)
  const [prefetched, setNext] = useState<{ by: StoredDataLoader; w: LoadedWindow }>();
  const [status, setStatus] = useState<string>();
  const [density, setDensity] = useState<Density>();
  const [liveRows, setLiveRows] = useState<LogRow[]>([]);
  const [liveCuts, setLiveCuts] = useState<Cut[]>([]);
  const [liveTime, setLiveTime] = useState<number>();
  // re-rendered when the playhead enters another window, not at every tick
  const k = usePlayhead(playhead, (t) => loader.windowOf(t), [loader]);
  const wanted = useRef(k);
  wanted.current = k;
  const ahead = playing && !live;
  const next = prefetched?.by === loader ? prefetched.w : undefined;
  // the prefetched window the playhead has just entered is shown at once, not a frame later when the load's promise
  // settles (the same window object that promise gives)
  const loaded = ahead && next?.from === k * windowMs && read?.from !== next.from ? next : read;

  useEffect(() => {
    if (!active) {
      return;
    }
    let stale = false;
    setStatus(`Loading stored data ${iso(k * windowMs)} – ${iso((k + 1) * windowMs)}…`);
    loader
      .load(k * windowMs, playing)
      .then((w) => {
        if (!stale && wanted.current === k) {
          setLoaded(w);
          setStatus(undefined);
        }
      })
      .catch((e: unknown) => {
        if (!stale) {
          setStatus(
            `Stored data ${iso(k * windowMs)} – ${iso((k + 1) * windowMs)} not shown: ${e instanceof Error ? e.message : String(e)}`
          );
        }
      });
    // the window ahead (load prefetches it): its scene is built before the playhead gets there
    if (playing && !live) {
      loader
        .load((k + 1) * windowMs)
        .then((w) => !stale && setNext({ by: loader, w }))
        .catch(() => undefined);
    }
    return () => {
      stale = true;
    };
  }, [active, loader, k, windowMs, playing, live]);

  useEffect(() => {
    if (!active || bins < 1) {
      return;
    }
    let stale = false;
    loadDensity(run, o.lokiSelector, from, to, bins)
      .then((d) => !stale && setDensity(d))
      .catch(() => !stale && setDensity(undefined));
    return () => {
      stale = true;
    };
  }, [active, run, o.lokiSelector, from, to, bins]);

  // live: poll the newest records every second from where the loaded window's read ended
  useEffect(() => {
    setLiveRows([]);
    setLiveCuts([]);
    setLiveTime(undefined);
    if (!active || !live || !loaded) {
      return;
    }
    const tail = new LiveTail(
      run,
      recordsAndHeadsExpr(o.lokiSelector),
      Math.min(loaded.to, loaded.readAt),
      loaded.rows
    );
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const now = clockNow();
      try {
        const got = await tail.poll(now);
        if (stopped) {
          return;
        }
        if (got.rows.length > 0) {
          setLiveRows((rows) => [...rows, ...got.rows]);
        }
        if (got.cuts.length > 0) {
          setLiveCuts((c) => [...c, ...got.cuts]);
        }
        setLiveTime(now);
      } catch (e) {
        setLiveCuts((c) => [
          ...c,
          { from: now, to: now, problem: { kind: 'live-unread', error: e instanceof Error ? e.message : String(e) } },
        ]);
      }
      if (!stopped) {
        timer = setTimeout(tick, LIVE_POLL_MS);
      }
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, live, run, o.lokiSelector, loaded]);

  const frames = useMemo(() => {
    if (!loaded) {
      return undefined;
    }
    // keyframe heads only say a collector is still there (contract 1.2): without them a quiet one would look stopped
    const heads = liveRows.filter(isKeyframeRow);
    const records = liveRows.filter((r) => !isKeyframeRow(r));
    return [
      ...loaded.frames,
      ...(records.length ? [linesFrame(o.eventsRefId, records)] : []),
      ...(heads.length ? [linesFrame(KEYFRAME_HEADS_REF, heads)] : []),
    ];
  }, [loaded, liveRows, o.eventsRefId]);
  const onWindow = (t: number) => !!loaded && t >= loaded.from && (live || t < loaded.to);
  // the playhead while it is outside the loaded window (the text says which instant is awaited), else undefined
  const awaited = usePlayhead(playhead, (t) => (active && loaded && !onWindow(t) ? t : undefined), [
    active,
    loaded,
    live,
  ]);
  const cuts = [...(loaded?.cuts ?? []), ...(density?.cuts ?? []), ...liveCuts];
  return {
    active,
    frames,
    window: loaded,
    next: ahead && next?.from === (k + 1) * windowMs ? next : undefined,
    density,
    cuts,
    status: status ?? (awaited !== undefined ? `Loading stored data for ${iso(awaited)}…` : undefined),
    liveTime,
    stale: awaited !== undefined,
  };
}
