import React, { useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { AbsoluteTimeRange, GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { Button, IconButton, RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import { TimelineIndex } from '../model/timeline';
import { Playback, SPEEDS } from '../hooks/usePlayback';
import { usePlayhead } from '../hooks/playheadStore';

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

/** Replay track: density-binned event markers, playhead, drag-select to zoom, and controls. Only the parts that
 * show the playhead (its time, marker, the step buttons' state) re-render as it moves. */
export function Timeline({ index, from, to, width, playback, timeZone, summary, onChangeTimeRange, density }: Props) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const trackRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const bins = useMemo(
    () => density ?? index.density(from, to, Math.max(1, Math.floor(width / 4))),
    [density, index, from, to, width]
  );
  const span = Math.max(1, to - from);
  const xOf = (t: number) => ((t - from) / span) * width;
  const tOf = (x: number) => from + (Math.min(width, Math.max(0, x)) / width) * span;
  const localX = (e: React.PointerEvent) => e.clientX - (trackRef.current?.getBoundingClientRect().left ?? 0);
  const { seek } = playback;
  const now = playback.playhead.get;

  const onPointerDown = (e: React.PointerEvent) => {
    const x = localX(e);
    (e.target as Element).setPointerCapture?.(e.pointerId);
    setDrag({ mode: Math.abs(x - xOf(now())) <= 6 ? 'scrub' : 'pending', x0: x, x1: x });
    if (Math.abs(x - xOf(now())) <= 6) {
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
    const playhead = now();
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
  // the event markers: rebuilt when the bins change, not as the playhead moves
  const markers = useMemo(() => {
    const maxBin = Math.max(1, ...bins);
    const bw = width / bins.length;
    const markerColor = theme.visualization.getColorByName('orange');
    return Array.from(bins, (c, i) => {
      const h = 4 + (18 * Math.log1p(c)) / Math.log1p(maxBin);
      return c > 0 ? (
        <rect key={i} x={i * bw} y={26 - h} width={Math.max(1, bw - 1)} height={h} fill={markerColor} />
      ) : null;
    });
  }, [bins, width, theme]);

  return (
    <div className={s.root}>
      <div className={s.controls}>
        <StepButton playback={playback} dir="prev" from={from} to={to} index={index} />
        <IconButton
          name={playback.playing ? 'pause' : 'play'}
          tooltip={playback.playing ? 'Pause' : 'Play'}
          aria-label={playback.playing ? 'Pause' : 'Play'}
          onClick={() => playback.setPlaying(!playback.playing)}
        />
        <StepButton playback={playback} dir="next" from={from} to={to} index={index} />
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
        <PlayheadTime playback={playback} className={s.time} fmt={fmt} />
        <span className={s.summary} data-testid="hmx-summary">
          {summary}
        </span>
      </div>
      <Track
        playback={playback}
        trackRef={trackRef}
        className={s.track}
        from={from}
        to={to}
        width={width}
        fmt={fmt}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onKeyDown={onKeyDown}
      >
        <rect x={0} y={0} width={width} height={26} fill={theme.colors.background.secondary} />
        {markers}
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
      </Track>
    </div>
  );
}

/** Previous / next event: disabled when there is none in the range (re-rendered only when that changes). */
function StepButton({
  playback,
  dir,
  from,
  to,
  index,
}: {
  playback: Playback;
  dir: 'prev' | 'next';
  from: number;
  to: number;
  index: TimelineIndex;
}) {
  const target = (t: number) => (dir === 'prev' ? index.prevEventTime(t) : index.nextEventTime(t));
  const none = (t: number) => {
    const e = target(t);
    return e === undefined || (dir === 'prev' ? e < from : e > to);
  };
  const disabled = usePlayhead(playback.playhead, none, [index, dir, from, to]);
  const label = dir === 'prev' ? 'Previous event' : 'Next event';
  return (
    <IconButton
      name={dir === 'prev' ? 'backward' : 'forward'}
      tooltip={label}
      aria-label={label}
      disabled={disabled}
      onClick={() => {
        const e = target(playback.playhead.get());
        if (e !== undefined) {
          playback.seek(e);
        }
      }}
    />
  );
}

function PlayheadTime({
  playback,
  className,
  fmt,
}: {
  playback: Playback;
  className: string;
  fmt: (t: number) => string;
}) {
  const text = usePlayhead(playback.playhead, fmt, [fmt]);
  return (
    <span className={className} aria-live="off" data-testid="hmx-playhead-time">
      {text}
    </span>
  );
}

/** The slider: its value and the playhead marker follow the playhead; `children` (markers, selection) do not. */
function Track({
  playback,
  trackRef,
  className,
  from,
  to,
  width,
  fmt,
  children,
  ...handlers
}: {
  playback: Playback;
  trackRef: React.RefObject<HTMLDivElement>;
  className: string;
  from: number;
  to: number;
  width: number;
  fmt: (t: number) => string;
  children: React.ReactNode;
  onPointerDown: (e: React.PointerEvent) => void;
  onPointerMove: (e: React.PointerEvent) => void;
  onPointerUp: (e: React.PointerEvent) => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
}) {
  const theme = useTheme2();
  const playhead = usePlayhead(playback.playhead, (t) => t, []);
  const x = ((playhead - from) / Math.max(1, to - from)) * width;
  return (
    <div
      ref={trackRef}
      className={className}
      role="slider"
      tabIndex={0}
      aria-label="Replay playhead"
      aria-valuemin={from}
      aria-valuemax={to}
      aria-valuenow={Math.round(playhead)}
      aria-valuetext={fmt(playhead)}
      data-testid="hmx-track"
      {...handlers}
    >
      <svg width={width} height={26} aria-hidden="true">
        {children}
        <line x1={x} x2={x} y1={0} y2={26} stroke={theme.colors.primary.main} strokeWidth={2} />
        <circle cx={x} cy={5} r={5} fill={theme.colors.primary.main} />
      </svg>
    </div>
  );
}
