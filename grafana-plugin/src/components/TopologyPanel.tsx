import React, { useEffect, useMemo, useState } from 'react';
import { PanelProps } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';
import { PanelOptions, withDefaults } from '../types';
import { Scene } from '../model/scene';
import { Filter, emptyFilter, visibilityMask } from '../model/filter';
import { makePalette } from '../render/palette';
import { usePlayback } from '../hooks/usePlayback';
import { useScene } from '../hooks/useScene';
import { PanelMessage } from './PanelMessage';
import { Timeline, TIMELINE_HEIGHT } from './Timeline';
import { FilterBar, FILTER_HEIGHT } from './FilterBar';
import { TopologyCanvas } from './TopologyCanvas';
import { StoredDataNotice } from './StoredDataNotice';
import { useStoredData } from '../data/useStoredData';
import { Cut } from '../data/cuts';
import { formatProblem } from '../model/problems';

type Props = PanelProps<PanelOptions>;

/** Collectors that stopped reporting (contract 1.2), said on the canvas like the other cuts. */
function stopCuts(scene: Scene, to: number): Cut[] {
  return scene.index.stops
    .filter((st) => st.entities > 0)
    .map((stop) => ({ from: stop.at, to: stop.until ?? to, problem: { kind: 'emitter-stopped', stop } }));
}

export function TopologyPanel(props: Props) {
  const { width, height, timeRange, eventBus, onChangeTimeRange, timeZone } = props;
  const options = useMemo(() => withDefaults(props.options), [props.options]);
  const theme = useTheme2();
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const { nodesRefId, actorsRefId, flowsRefId, eventsRefId } = options;
  const playback = usePlayback(from, to, options.liveByDefault, eventBus);
  const stored = useStoredData(
    options,
    from,
    to,
    playback.playhead,
    playback.playing,
    playback.live,
    Math.max(1, Math.floor(width / 4))
  );
  // stored data replaces the dashboard's state and event frames (a range's worth of them is cut by the
  // datasources' limits) and, with a Prometheus uid, its flow frames; other frames (servicegraph…) stay
  const dashboardKept = useMemo(() => {
    const replaced = new Set([nodesRefId, actorsRefId, eventsRefId, ...(options.prometheusUid ? [flowsRefId] : [])]);
    return (props.data?.series ?? []).filter((f) => !replaced.has(f.refId ?? ''));
  }, [props.data?.series, nodesRefId, actorsRefId, eventsRefId, flowsRefId, options.prometheusUid]);
  const series = useMemo(
    () => (stored.active ? [...dashboardKept, ...(stored.frames ?? [])] : props.data?.series),
    [stored.active, stored.frames, props.data?.series, dashboardKept]
  );
  // the window the playhead reaches next, built ahead while playing
  const nextSeries = useMemo(
    () => (stored.active && stored.next ? [...dashboardKept, ...stored.next.frames] : undefined),
    [stored.active, stored.next, dashboardKept]
  );
  // live over stored data: the playhead follows the newest poll, not the dashboard's last refresh
  const liveTime =
    stored.active && playback.live && stored.liveTime !== undefined ? Math.max(to, stored.liveTime) : undefined;
  const { playheadRef } = playback;
  useEffect(() => {
    if (liveTime !== undefined) {
      playheadRef.current = liveTime;
    }
  }, [liveTime, playheadRef]);
  const { scene, pending } = useScene(series, options, from, to, nextSeries, playback.playing);
  const palette = useMemo(() => makePalette(theme, options.highContrast), [theme, options.highContrast]);
  const [filter, setFilter] = useState<Filter>(emptyFilter);
  const visible = useMemo(
    () => (scene instanceof Error ? new Uint8Array(0) : visibilityMask(scene.index.registry, filter)),
    [scene, filter]
  );

  if (stored.active && !stored.frames) {
    return (
      <PanelMessage
        message={stored.status ?? 'Loading stored data…'}
        details={stored.cuts.map((c) => formatProblem(c.problem))}
      />
    );
  }
  if (scene instanceof Error) {
    return <PanelMessage message={`The panel could not read the data: ${scene.message}`} />;
  }
  if (scene.mapped.blocking) {
    return (
      <PanelMessage message={formatProblem(scene.mapped.blocking)} details={scene.mapped.problems.map(formatProblem)} />
    );
  }
  // dimmed while the drawn state belongs to another window than the playhead's (loading it, or building its scene)
  const stale = stored.stale || pending;
  const reg = scene.index.registry;
  const summary = `${reg.nodes().length} nodes · ${reg.actors().length} actors · ${scene.edges.size} edges · ${scene.index.length} events`;
  const canvasHeight = Math.max(40, height - TIMELINE_HEIGHT - FILTER_HEIGHT);
  return (
    <div style={{ width, height, display: 'flex', flexDirection: 'column' }} data-testid="hmx-panel">
      <FilterBar reg={reg} filter={filter} onChange={setFilter} problems={scene.mapped.problems} />
      <div style={{ position: 'relative', opacity: stale ? 0.35 : 1 }} data-stale={stale || undefined}>
        <TopologyCanvas
          scene={scene}
          options={options}
          palette={palette}
          visible={visible}
          playheadRef={playback.playheadRef}
          playhead={playback.playhead}
          liveTime={liveTime}
          width={width}
          height={canvasHeight}
        />
        {stored.active && (
          <StoredDataNotice
            status={stored.status ?? (pending ? 'Preparing the stored data of the playhead’s window…' : undefined)}
            cuts={[...stored.cuts, ...stopCuts(scene, to)]}
          />
        )}
      </div>
      <Timeline
        index={scene.index}
        from={from}
        to={to}
        width={width}
        playback={playback}
        timeZone={timeZone}
        summary={summary}
        onChangeTimeRange={onChangeTimeRange}
        density={stored.active ? stored.density?.bins : undefined}
      />
    </div>
  );
}
