import React, { useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { AbsoluteTimeRange, GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { Button, IconButton, RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import { TimelineIndex } from '../model/timeline';
import { Playback, SPEEDS } from '../hooks/usePlayback';

export const TIMELINE_HEIGHT = 64;

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ height: TIMELINE_HEIGHT, display: 'flex', flexDirection: 'column', gap: 2, paddingTop: 2 }),
  controls: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    minHeight: 28,
  }),
  summary: css({
    marginLeft: 'auto',
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  time: css({ fontVariantNumeric: 'tabular-nums', marginLeft: theme.spacing(1), whiteSpace: 'nowrap' }),
  track: css({
    position: 'relative',
    height: 26,
    cursor: 'crosshair',
    touchAction: 'none',
    outline: 'none',
    '&:focus-visible': { boxShadow: `0 0 0 2px ${theme.colors.primary.main}` },
  }),
});

interface Props {
  index: TimelineIndex;
  from: number;
  to: number;
  width: number;
  playback: Playback;
  timeZone?: string;
  summary: string;
  onChangeTimeRange: (r: AbsoluteTimeRange) => void;
  /** events per bin from a stored-data aggregate over the whole range (replaces the index's own count) */
  density?: Float64Array;
}

type Drag = { mode: 'scrub' | 'pending' | 'select'; x0: number; x1: number };

/** Replay track: density-binned event markers, playhead, drag-select to zoom, and controls. */
export function Timeline({ index, from, to, width, playback, timeZone, summary, onChangeTimeRange, density }: Props) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const trackRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const bins = useMemo(
    () => density ?? index.density(from, to, Math.max(1, Math.floor(width / 4))),
    [density, index, from, to, width]
  );
  const maxBin = useMemo(() => Math.max(1, ...bins), [bins]);
  const span = Math.max(1, to - from);
  const xOf = (t: number) => ((t - from) / span) * width;
  const tOf = (x: number) => from + (Math.min(width, Math.max(0, x)) / width) * span;
  const localX = (e: React.PointerEvent) => e.clientX - (trackRef.current?.getBoundingClientRect().left ?? 0);
  const { playhead, seek } = playback;

  const onPointerDown = (e: React.PointerEvent) => {
    const x = localX(e);
    (e.target as Element).setPointerCapture?.(e.pointerId);
    setDrag({ mode: Math.abs(x - xOf(playhead)) <= 6 ? 'scrub' : 'pending', x0: x, x1: x });
    if (Math.abs(x - xOf(playhead)) <= 6) {
      seek(tOf(x));
    }
  };
  const onPointerMove = (e: React.PointerEvent) => {
    if (!drag) {
      return;
    }
    const x = localX(e);
    if (drag.mode === 'scrub') {
      seek(tOf(x));
      setDrag({ ...drag, x1: x });
    } else if (drag.mode === 'select' || Math.abs(x - drag.x0) > 4) {
      setDrag({ ...drag, mode: 'select', x1: x });
    }
  };
  const onPointerUp = (e: React.PointerEvent) => {
    if (!drag) {
      return;
    }
    const x = localX(e);
    if (drag.mode === 'select' && Math.abs(x - drag.x0) > 4) {
      const a = tOf(Math.min(x, drag.x0));
      const b = tOf(Math.max(x, drag.x0));
      onChangeTimeRange({ from: Math.round(a), to: Math.round(b) });
    } else if (drag.mode === 'pending') {
      seek(tOf(x));
    }
    setDrag(null);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = span / 100;
    let t: number | undefined;
    if (e.key === 'ArrowLeft') {
      t = playhead - step;
    } else if (e.key === 'ArrowRight') {
      t = playhead + step;
    } else if (e.key === 'PageUp') {
      t = index.prevEventTime(playhead);
    } else if (e.key === 'PageDown') {
      t = index.nextEventTime(playhead);
    } else if (e.key === 'Home') {
      t = from;
    } else if (e.key === 'End') {
      t = to;
    } else if (e.key === ' ') {
      playback.setPlaying(!playback.playing);
      e.preventDefault();
      return;
    }
    if (t !== undefined) {
      seek(t);
      e.preventDefault();
    }
  };
  const fmt = (t: number) => dateTimeFormat(t, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' });
  const prev = index.prevEventTime(playhead);
  const next = index.nextEventTime(playhead);
  const markerColor = theme.visualization.getColorByName('orange');
  const bw = width / bins.length;

  return (
    <div className={s.root}>
      <div className={s.controls}>
        <IconButton
          name="backward"
          tooltip="Previous event"
          aria-label="Previous event"
          disabled={prev === undefined || prev < from}
          onClick={() => prev !== undefined && seek(prev)}
        />
        <IconButton
          name={playback.playing ? 'pause' : 'play'}
          tooltip={playback.playing ? 'Pause' : 'Play'}
          aria-label={playback.playing ? 'Pause' : 'Play'}
          onClick={() => playback.setPlaying(!playback.playing)}
        />
        <IconButton
          name="forward"
          tooltip="Next event"
          aria-label="Next event"
          disabled={next === undefined || next > to}
          onClick={() => next !== undefined && seek(next)}
        />
        <RadioButtonGroup
          size="sm"
          value={playback.speed}
          options={SPEEDS.map((v) => ({ value: v, label: `${v}×`, description: `Replay at ${v}× real time` }))}
          onChange={(v) => playback.setSpeed(v)}
        />
        <Button
          size="sm"
          variant={playback.live ? 'primary' : 'secondary'}
          icon="circle"
          aria-pressed={playback.live}
          onClick={() => playback.setLive(!playback.live)}
        >
          Live
        </Button>
        <span className={s.time} aria-live="off" data-testid="hmx-playhead-time">
          {fmt(playhead)}
        </span>
        <span className={s.summary} data-testid="hmx-summary">
          {summary}
        </span>
      </div>
      <div
        ref={trackRef}
        className={s.track}
        role="slider"
        tabIndex={0}
        aria-label="Replay playhead"
        aria-valuemin={from}
        aria-valuemax={to}
        aria-valuenow={Math.round(playhead)}
        aria-valuetext={fmt(playhead)}
        data-testid="hmx-track"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onKeyDown={onKeyDown}
      >
        <svg width={width} height={26} aria-hidden="true">
          <rect x={0} y={0} width={width} height={26} fill={theme.colors.background.secondary} />
          {Array.from(bins, (c, i) => {
            const h = 4 + (18 * Math.log1p(c)) / Math.log1p(maxBin);
            return c > 0 ? (
              <rect key={i} x={i * bw} y={26 - h} width={Math.max(1, bw - 1)} height={h} fill={markerColor} />
            ) : null;
          })}
          {drag?.mode === 'select' && (
            <rect
              x={Math.min(drag.x0, drag.x1)}
              y={0}
              width={Math.abs(drag.x1 - drag.x0)}
              height={26}
              fill={theme.colors.primary.transparent}
              stroke={theme.colors.primary.main}
            />
          )}
          <line
            x1={xOf(playhead)}
            x2={xOf(playhead)}
            y1={0}
            y2={26}
            stroke={theme.colors.primary.main}
            strokeWidth={2}
          />
          <circle cx={xOf(playhead)} cy={5} r={5} fill={theme.colors.primary.main} />
        </svg>
      </div>
    </div>
  );
}
