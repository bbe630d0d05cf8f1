import { DataFrame, FieldType } from '@grafana/data';
import { ActorEntity, FlowSample, KeyframeEvent, LABELS, METRICS, NodeEntity, TimelineEvent } from './contract';
import { KEYFRAME_HEADS_REF } from './emitters';
import { FrameDiagnostics } from './frameDiagnostics';
import { labelledSeries, lineField, setRowPath, timeField, toMs, toRates } from './frameRead';
import { parseEventLine, parseEventObject } from './parseEvent';
import { Problem } from './problems';
import { Role, detectRole, roleOfRefId } from './roles';
import { Steps, finish } from './steps';
import { PanelOptions } from '../types';

export interface StateSeries<E> {
  entity: E;
  times: number[];
  /** 1 up/running, 0 failed/exited, null = no sample (absent) */
  values: Array<number | null>;
}

export interface FlowSeries {
  from: string;
  to: string;
  fromNode?: string;
  toNode?: string;
  source: 'hmx' | 'servicegraph';
  times: number[];
  /** messages per second */
  rates: number[];
}

export interface MappedData {
  nodes: Array<StateSeries<NodeEntity>>;
  actors: Array<StateSeries<ActorEntity>>;
  flows: FlowSeries[];
  events: TimelineEvent[];
  /** keyframe heads of the stored-data path: when each collector was heard (contract 1.2) */
  heads: KeyframeEvent[];
  malformedEvents: number;
  malformedExample?: string;
  /** what was not understood (formatProblem gives the words); `blocking` means nothing can be drawn */
  problems: Problem[];
  blocking?: Problem;
  found: Record<Role, boolean>;
}

/** text parsed between two pauses of a build in steps: one keyframe part (up to 64 KB of JSON) or ~100 records */
const CHARS_PER_STEP = 32_768;

/** Reads the frames into MappedData, one method per role. */
class Collector {
  out: Omit<MappedData, 'malformedEvents' | 'malformedExample' | 'problems' | 'blocking'> = {
    nodes: [],
    actors: [],
    flows: [],
    events: [],
    heads: [],
    found: { nodes: false, actors: false, flows: false, events: false },
  };

  flowSamples: FlowSample[] = [];
  diagnostics = new FrameDiagnostics();
  /** characters of lines read since the last pause */
  private unpaused = 0;

  /** Counts a line read; true when a build in steps should pause. */
  private pauseAfter(line: unknown): boolean {
    this.unpaused += typeof line === 'string' ? line.length : 1;
    if (this.unpaused < CHARS_PER_STEP) {
      return false;
    }
    this.unpaused = 0;
    return true;
  }

  take(r: ReturnType<typeof parseEventObject>) {
    if (!r.ok) {
      this.diagnostics.malformed(r.error);
    } else if (r.event) {
      this.out.events.push(r.event);
    } else {
      this.flowSamples.push(r.flow);
    }
  }

  *heads(frame: DataFrame): Steps<void> {
    const lines = lineField(frame);
    for (let i = 0; i < frame.length; i++) {
      const r = parseEventLine(lines?.values[i]);
      if (r.ok && r.event?.type === 'keyframe') {
        this.out.heads.push(r.event);
      } else {
        this.diagnostics.malformed(r.ok ? 'a keyframe head that is not a keyframe' : r.error);
      }
      if (this.pauseAfter(lines?.values[i])) {
        yield;
      }
    }
  }

  *events(frame: DataFrame, query: string): Steps<void> {
    const lines = lineField(frame);
    const tf = timeField(frame);
    if (lines) {
      for (let i = 0; i < frame.length; i++) {
        this.take(parseEventLine(lines.values[i], tf ? toMs(tf.values[i]) : undefined));
        if (this.pauseAfter(lines.values[i])) {
          yield;
        }
      }
      this.out.found.events = true;
      return;
    }
    if (!frame.fields.some((f) => f.name === 'type')) {
      this.diagnostics.add({ kind: 'no-event-columns', query });
      return;
    }
    const refused = new Set<string>();
    for (let i = 0; i < frame.length; i++) {
      const row: Record<string, unknown> = {};
      for (const f of frame.fields) {
        if (
          !setRowPath(
            row,
            f.name === 'Time' ? 'time' : f.name,
            f.type === FieldType.time ? toMs(f.values[i]) : f.values[i]
          )
        ) {
          refused.add(f.name);
        }
      }
      this.take(parseEventObject(row));
    }
    if (refused.size) {
      this.diagnostics.add({ kind: 'unsafe-columns', query, columns: [...refused] });
    }
    this.out.found.events = true;
  }

  nodes(frame: DataFrame, query: string) {
    const series = labelledSeries(frame);
    let missing = 0;
    for (const s of series) {
      const id = s.labels[LABELS.nodeId];
      if (!id) {
        missing++;
        continue;
      }
      const entity: NodeEntity = {
        id,
        name: s.labels[LABELS.nodeName] || id,
        kind: s.labels[LABELS.nodeKind] || 'unknown',
        layer: s.labels[LABELS.layer] || 'unknown',
      };
      this.out.nodes.push({ entity, times: s.times, values: s.values });
    }
    this.diagnostics.series(query, series.length, missing, LABELS.nodeId, METRICS.nodeUp);
    this.out.found.nodes ||= series.length > missing;
  }

  actors(frame: DataFrame, query: string) {
    const series = labelledSeries(frame);
    let missing = 0;
    for (const s of series) {
      const id = s.labels[LABELS.actorId];
      const node = s.labels[LABELS.nodeId];
      if (!id || !node) {
        missing++;
        continue;
      }
      const entity: ActorEntity = {
        id,
        node,
        name: s.labels[LABELS.actorName] || id,
        kind: s.labels[LABELS.actorKind] || 'unknown',
        layer: s.labels[LABELS.layer] || 'unknown',
      };
      this.out.actors.push({ entity, times: s.times, values: s.values });
    }
    this.diagnostics.series(query, series.length, missing, `${LABELS.actorId} and ${LABELS.nodeId}`, METRICS.actorUp);
    this.out.found.actors ||= series.length > missing;
  }

  flows(frame: DataFrame, query: string) {
    const series = labelledSeries(frame);
    let missing = 0;
    for (const s of series) {
      const l = s.labels;
      const hmx = l[LABELS.sourceActor] !== undefined;
      const from = hmx ? l[LABELS.sourceActor] : l[LABELS.sgClient];
      const to = hmx ? l[LABELS.destActor] : l[LABELS.sgServer];
      if (!from || !to) {
        missing++;
        continue;
      }
      this.out.flows.push({
        from,
        to,
        fromNode: (hmx && l[LABELS.sourceNode]) || undefined,
        toNode: (hmx && l[LABELS.destNode]) || undefined,
        source: hmx ? 'hmx' : 'servicegraph',
        times: s.times,
        rates: toRates(s),
      });
    }
    this.diagnostics.series(
      query,
      series.length,
      missing,
      `${LABELS.sourceActor}/${LABELS.destActor} (or servicegraph client/server)`,
      `rate(${METRICS.flowMessages})`
    );
    this.out.found.flows ||= series.length > missing;
  }
}

/** Contract flow samples (message deltas per emitter and edge) in the events stream become rates,
 * used when no flows query is present. */
export function flowsFromSamples(samples: FlowSample[]): FlowSeries[] {
  const byKey = new Map<string, FlowSample[]>();
  for (const s of samples) {
    const k = `${s.emitter}\u0000${s.from}\u0000${s.to}`;
    const list = byKey.get(k);
    if (list) {
      list.push(s);
    } else {
      byKey.set(k, [s]);
    }
  }
  const out: FlowSeries[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => a.time - b.time);
    const times: number[] = [];
    const rates: number[] = [];
    for (let i = 1; i < list.length; i++) {
      const dt = (list[i].time - list[i - 1].time) / 1000;
      if (dt > 0) {
        times.push(list[i].time);
        rates.push(list[i].messages / dt);
      }
    }
    if (times.length > 0) {
      out.push({ from: list[0].from, to: list[0].to, source: 'hmx', times, rates });
    }
  }
  return out;
}

/** Maps the dashboard's frames to roles; never throws. */
export function mapFrames(series: DataFrame[] | undefined, options: PanelOptions): MappedData {
  return finish(mapFramesSteps(series, options));
}

/** mapFrames in steps: pauses every few lines of an events or keyframe heads frame. */
export function* mapFramesSteps(series: DataFrame[] | undefined, options: PanelOptions): Steps<MappedData> {
  const c = new Collector();
  const d = c.diagnostics;
  const frames = series ?? [];
  for (const frame of frames) {
    const query = frame.refId ?? frame.name ?? '?';
    if (!frame.fields || frame.fields.length === 0) {
      continue;
    }
    if (frame.refId === KEYFRAME_HEADS_REF) {
      yield* c.heads(frame);
      continue;
    }
    const role: Role | undefined = roleOfRefId(frame.refId, options) ?? detectRole(frame);
    try {
      if (role === undefined) {
        d.add({ kind: 'unrecognised-frame', query });
      } else if (role === 'events') {
        yield* c.events(frame, query);
      } else {
        c[role](frame, query);
      }
    } catch (e) {
      d.add({ kind: 'unreadable-frame', query, error: e instanceof Error ? e.message : String(e) });
    }
  }
  if (!c.out.found.flows && c.flowSamples.length > 0) {
    c.out.flows = flowsFromSamples(c.flowSamples);
    c.out.found.flows = c.out.flows.length > 0;
  }
  const blocking = d.conclude(frames, c.out.found, c.out.events.length, options);
  return {
    ...c.out,
    malformedEvents: d.malformedEvents,
    malformedExample: d.malformedExample,
    problems: d.problems,
    blocking,
  };
}
