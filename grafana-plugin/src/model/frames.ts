import { DataFrame, Field, FieldType, Labels } from '@grafana/data';
import { ActorEntity, FlowSample, KeyframeEvent, LABELS, METRICS, NodeEntity, TimelineEvent } from './contract';
import { KEYFRAME_HEADS_REF } from './emitters';
import { parseEventLine, parseEventObject, parseTime } from './parseEvent';
import { PanelOptions } from '../types';

export type Role = 'nodes' | 'actors' | 'flows' | 'events';

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
  /** specific, human-readable problems; `blocking` means nothing can be drawn */
  problems: string[];
  blocking?: string;
  found: Record<Role, boolean>;
}

const LINE_FIELDS = ['Line', 'line', 'body', 'Body'];

function timeField(frame: DataFrame): Field | undefined {
  return (
    frame.fields.find((f) => f.type === FieldType.time) ??
    frame.fields.find((f) => ['Time', 'time', 'timestamp', 'Timestamp'].includes(f.name))
  );
}

function toMs(v: unknown): number | undefined {
  if (typeof v === 'number') {
    return v;
  }
  if (v && typeof v === 'object' && 'valueOf' in v) {
    const n = Number((v as { valueOf(): unknown }).valueOf());
    return Number.isFinite(n) ? n : undefined;
  }
  return parseTime(v);
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) {
    return null;
  }
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

interface LabelledSeries {
  labels: Labels;
  times: number[];
  values: Array<number | null>;
}

/** Extracts labelled numeric series from Prometheus-style frames (one series per labelled number field,
 * or long tables whose label columns are string fields). */
function labelledSeries(frame: DataFrame): LabelledSeries[] {
  const tf = timeField(frame);
  const numberFields = frame.fields.filter((f) => f.type === FieldType.number);
  const times: number[] = [];
  for (let i = 0; i < frame.length; i++) {
    times.push(tf ? (toMs(tf.values[i]) ?? NaN) : NaN);
  }
  const withLabels = numberFields.filter((f) => f.labels && Object.keys(f.labels).length > 0);
  if (withLabels.length > 0) {
    return withLabels.map((f) => ({
      labels: f.labels ?? {},
      times,
      values: Array.from({ length: frame.length }, (_, i) => num(f.values[i])),
    }));
  }
  // long table format: string columns are labels, one row per sample
  const labelFields = frame.fields.filter((f) => f.type === FieldType.string);
  const valueField = numberFields[0];
  if (!valueField || labelFields.length === 0) {
    return [];
  }
  const byKey = new Map<string, LabelledSeries>();
  for (let i = 0; i < frame.length; i++) {
    const labels: Labels = {};
    for (const f of labelFields) {
      labels[f.name] = String(f.values[i] ?? '');
    }
    const key = JSON.stringify(labels);
    let s = byKey.get(key);
    if (!s) {
      s = { labels, times: [], values: [] };
      byKey.set(key, s);
    }
    s.times.push(times[i]);
    s.values.push(num(valueField.values[i]));
  }
  return [...byKey.values()];
}

function detectRole(frame: DataFrame): Role | undefined {
  if (frame.fields.some((f) => f.type === FieldType.string && LINE_FIELDS.includes(f.name))) {
    return 'events';
  }
  const names = new Set(frame.fields.map((f) => f.name));
  if (names.has('type') && (names.has('time') || names.has('Time'))) {
    return 'events';
  }
  for (const s of labelledSeries(frame)) {
    const l = s.labels;
    if (l[LABELS.sourceActor] !== undefined || (l[LABELS.sgClient] !== undefined && l[LABELS.sgServer] !== undefined)) {
      return 'flows';
    }
    if (l[LABELS.actorId] !== undefined && (l.__name__ === undefined || l.__name__ === METRICS.actorUp)) {
      return 'actors';
    }
    if (l[LABELS.nodeId] !== undefined && l[LABELS.actorId] === undefined) {
      return 'nodes';
    }
  }
  return undefined;
}

function roleOfRefId(refId: string | undefined, o: PanelOptions): Role | undefined {
  if (!refId) {
    return undefined;
  }
  if (refId === o.nodesRefId) {
    return 'nodes';
  }
  if (refId === o.actorsRefId) {
    return 'actors';
  }
  if (refId === o.flowsRefId) {
    return 'flows';
  }
  if (refId === o.eventsRefId) {
    return 'events';
  }
  return undefined;
}

/** Counter samples (a `_total` metric without rate()) become per-second rates. */
function toRates(s: LabelledSeries): number[] {
  const isCounter = typeof s.labels.__name__ === 'string' && s.labels.__name__.endsWith('_total');
  if (!isCounter) {
    return s.values.map((v) => v ?? 0);
  }
  const out: number[] = [];
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i];
    const pv = i > 0 ? s.values[i - 1] : null;
    const dt = i > 0 ? (s.times[i] - s.times[i - 1]) / 1000 : 0;
    if (v === null || pv === null || dt <= 0) {
      out.push(0);
    } else {
      out.push(v >= pv ? (v - pv) / dt : v / dt);
    }
  }
  return out;
}

// Column names come from the data source: a path through these would write a prototype shared by the whole page.
const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** Sets `a.b.c` in a table row; returns false (and writes nothing) for a path that could reach a prototype. */
function setRowPath(obj: Record<string, unknown>, path: string, value: unknown): boolean {
  const parts = path.split('.');
  if (parts.some((p) => UNSAFE_SEGMENTS.has(p))) {
    return false;
  }
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = Object.hasOwn(cur, parts[i]) ? cur[parts[i]] : undefined;
    if (typeof next !== 'object' || next === null) {
      cur[parts[i]] = {};
    }
    cur = cur[parts[i]] as Record<string, unknown>;
  }
  let v = value;
  if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
    try {
      v = JSON.parse(v);
    } catch {
      // keep string; the validator will name the field
    }
  }
  cur[parts[parts.length - 1]] = v;
  return true;
}

class Collector {
  out: MappedData = {
    nodes: [],
    actors: [],
    flows: [],
    events: [],
    heads: [],
    malformedEvents: 0,
    problems: [],
    found: { nodes: false, actors: false, flows: false, events: false },
  };

  flowSamples: FlowSample[] = [];

  take(r: ReturnType<typeof parseEventObject>) {
    if (!r.ok) {
      this.malformed(r.error);
    } else if (r.event) {
      this.out.events.push(r.event);
    } else {
      this.flowSamples.push(r.flow);
    }
  }

  malformed(err: string) {
    this.out.malformedEvents++;
    if (!this.out.malformedExample) {
      this.out.malformedExample = err;
    }
  }

  heads(frame: DataFrame) {
    const lineField = frame.fields.find((f) => f.type === FieldType.string && LINE_FIELDS.includes(f.name));
    for (let i = 0; i < frame.length; i++) {
      const r = parseEventLine(lineField?.values[i]);
      if (r.ok && r.event?.type === 'keyframe') {
        this.out.heads.push(r.event);
      } else {
        this.malformed(r.ok ? 'a keyframe head that is not a keyframe' : r.error);
      }
    }
  }

  events(frame: DataFrame, name: string) {
    const lineField = frame.fields.find((f) => f.type === FieldType.string && LINE_FIELDS.includes(f.name));
    const tf = timeField(frame);
    if (lineField) {
      for (let i = 0; i < frame.length; i++) {
        const r = parseEventLine(lineField.values[i], tf ? toMs(tf.values[i]) : undefined);
        this.take(r);
      }
      this.out.found.events = true;
      return;
    }
    if (!frame.fields.some((f) => f.name === 'type')) {
      this.out.problems.push(
        `${name}: no "Line" field with event JSON and no "type" column, so no lifecycle events were read`
      );
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
      this.out.problems.push(
        `${name}: ignored column(s) ${[...refused].map((c) => JSON.stringify(c.slice(0, 80))).join(', ')} (a name through __proto__, prototype or constructor is never read)`
      );
    }
    this.out.found.events = true;
  }

  nodes(frame: DataFrame, name: string) {
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
    this.reportLabels(name, series.length, missing, LABELS.nodeId, METRICS.nodeUp);
    this.out.found.nodes ||= series.length > missing;
  }

  actors(frame: DataFrame, name: string) {
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
    this.reportLabels(name, series.length, missing, `${LABELS.actorId} and ${LABELS.nodeId}`, METRICS.actorUp);
    this.out.found.actors ||= series.length > missing;
  }

  flows(frame: DataFrame, name: string) {
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
    this.reportLabels(
      name,
      series.length,
      missing,
      `${LABELS.sourceActor}/${LABELS.destActor} (or servicegraph client/server)`,
      `rate(${METRICS.flowMessages})`
    );
    this.out.found.flows ||= series.length > missing;
  }

  reportLabels(name: string, total: number, missing: number, label: string, metric: string) {
    if (total === 0) {
      this.out.problems.push(`${name}: no labelled numeric series; expected ${metric} series`);
    } else if (missing > 0) {
      this.out.problems.push(`${name}: ${missing} of ${total} series lack the label ${label}; they were skipped`);
    }
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
  const c = new Collector();
  const frames = series ?? [];
  for (const frame of frames) {
    const name = `Query "${frame.refId ?? frame.name ?? '?'}"`;
    if (!frame.fields || frame.fields.length === 0) {
      continue;
    }
    if (frame.refId === KEYFRAME_HEADS_REF) {
      c.heads(frame);
      continue;
    }
    const role = roleOfRefId(frame.refId, options) ?? detectRole(frame);
    try {
      if (role === undefined) {
        c.out.problems.push(
          `${name}: frame not recognised (expected ${METRICS.nodeUp}/${METRICS.actorUp} series, flow rates, or Loki lines with contract JSON)`
        );
      } else {
        c[role](frame, name);
      }
    } catch (e) {
      c.out.problems.push(`${name}: could not be read (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!c.out.found.flows && c.flowSamples.length > 0) {
    c.out.flows = flowsFromSamples(c.flowSamples);
    c.out.found.flows = c.out.flows.length > 0;
  }
  const f = c.out.found;
  if (frames.length === 0 || frames.every((fr) => !fr.fields || fr.length === 0)) {
    c.out.blocking = `No data. Expected queries with refIds "${options.nodesRefId}" (${METRICS.nodeUp}), "${options.actorsRefId}" (${METRICS.actorUp}), "${options.flowsRefId}" (flow rates) and "${options.eventsRefId}" (Loki lifecycle events).`;
  } else if (!f.nodes && !f.actors && !f.events && c.out.events.length === 0) {
    const what =
      c.out.malformedEvents > 0
        ? ` ${c.out.malformedEvents} event lines were malformed (first: ${c.out.malformedExample}).`
        : '';
    c.out.blocking = `Missing topology: no node/actor state (refIds "${options.nodesRefId}", "${options.actorsRefId}" with ${METRICS.nodeUp}/${METRICS.actorUp}) and no lifecycle events (refId "${options.eventsRefId}").${what}`;
  }
  if (!c.out.blocking && !f.flows) {
    c.out.problems.push(`No flows query (refId "${options.flowsRefId}"): edges and particles are not drawn`);
  }
  if (c.out.malformedEvents > 0) {
    c.out.problems.push(`${c.out.malformedEvents} malformed event lines skipped (first: ${c.out.malformedExample})`);
  }
  return c.out;
}
