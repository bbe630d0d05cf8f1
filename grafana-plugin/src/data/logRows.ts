import { DataFrame, Field, FieldType } from '@grafana/data';

/** One stored log line with its exact timestamp (ns as a decimal string, ms for arithmetic). */
export interface LogRow {
  tsNs: string;
  ms: number;
  line: string;
  /** the line's labels as Grafana's Loki frame gives them: stream labels and structured metadata (untrusted text) */
  labels?: Readonly<Record<string, unknown>>;
}

const LINE_FIELDS = ['Line', 'line', 'body', 'Body'];

function field(frame: DataFrame, names: string[]): Field | undefined {
  return frame.fields.find((f) => names.includes(f.name));
}

/** The rows of Loki log frames (the default `labels, Time, Line, tsNs, …` shape and the dataplane
 * `timestamp, body` shape); frames without a line field are ignored. */
export function logRows(frames: DataFrame[]): LogRow[] {
  const out: LogRow[] = [];
  for (const frame of frames) {
    const lines = field(frame, LINE_FIELDS);
    const time = frame.fields.find((f) => f.type === FieldType.time) ?? field(frame, ['Time', 'timestamp']);
    if (!lines || !time) {
      continue;
    }
    const ns = field(frame, ['tsNs']);
    const labels = field(frame, ['labels']);
    const nanos = (time as Field & { nanos?: number[] }).nanos;
    for (let i = 0; i < frame.length; i++) {
      const ms = Number(time.values[i]);
      const line = lines.values[i];
      if (!Number.isFinite(ms) || typeof line !== 'string') {
        continue;
      }
      const exact = ns ? String(ns.values[i]) : undefined;
      const tsNs =
        exact && /^\d+$/.test(exact)
          ? exact
          : String(BigInt(Math.floor(ms)) * BigInt(1_000_000) + BigInt(nanos?.[i] ?? 0));
      const l: unknown = labels?.values[i];
      const isRecord = !!l && typeof l === 'object' && !Array.isArray(l);
      out.push({ tsNs, ms: Math.floor(ms), line, labels: isRecord ? (l as Record<string, unknown>) : undefined });
    }
  }
  return out;
}

/** a keyframe line (its head or a part); the substring test spares parsing every record */
export function isKeyframeRow(r: LogRow): boolean {
  if (!r.line.includes('"keyframe"')) {
    return false;
  }
  try {
    return (JSON.parse(r.line) as { type?: unknown }).type === 'keyframe';
  } catch {
    return false;
  }
}
