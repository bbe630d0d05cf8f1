import { DataFrame, Field, FieldType, Labels } from '@grafana/data';
import { parseTime } from './parseEvent';

const LINE_FIELDS = ['Line', 'line', 'body', 'Body'];

/** The string field holding one event JSON per row (Loki's "Line"), if any. */
export function lineField(frame: DataFrame): Field | undefined {
  return frame.fields.find((f) => f.type === FieldType.string && LINE_FIELDS.includes(f.name));
}

export function timeField(frame: DataFrame): Field | undefined {
  return (
    frame.fields.find((f) => f.type === FieldType.time) ??
    frame.fields.find((f) => ['Time', 'time', 'timestamp', 'Timestamp'].includes(f.name))
  );
}

export function toMs(v: unknown): number | undefined {
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

export interface LabelledSeries {
  labels: Labels;
  times: number[];
  values: Array<number | null>;
}

/** Extracts labelled numeric series from Prometheus-style frames (one series per labelled number field,
 * or long tables whose label columns are string fields). */
export function labelledSeries(frame: DataFrame): LabelledSeries[] {
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

/** Counter samples (a `_total` metric without rate()) become per-second rates. */
export function toRates(s: LabelledSeries): number[] {
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
export function setRowPath(obj: Record<string, unknown>, path: string, value: unknown): boolean {
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
