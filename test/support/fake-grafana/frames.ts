// Grafana's data frame JSON (grafana-plugin-sdk-go data/frame_json.go): column-major values, times in epoch
// ms with the sub-ms remainder in data.nanos, as pkg/tsdb/loki/frame.go and pkg/promlib build them.

export interface FieldJson {
  name: string;
  type: 'time' | 'number' | 'string' | 'boolean' | 'other';
  typeInfo: { frame: string; nullable?: boolean };
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}
export interface FrameJson {
  schema: { name?: string; refId?: string; meta?: Record<string, unknown>; fields: FieldJson[] };
  data: { values: unknown[][]; nanos?: Array<number[] | null> };
}

export interface LokiLogRow {
  tsNs: string;
  line: string;
  indexed: Record<string, string>;
  metadata: Record<string, string>;
}

/** FNV-1a 32-bit, Grafana's row id hash (frame.go: fnv32a of line + "_" + labels). */
function fnv32a(s: string): string {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function labelsString(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}

/** One frame for all streams: labels, Time, Line, tsNs, labelTypes, id (the categorize-labels shape). */
export function lokiLogFrame(refId: string, expr: string, rows: LokiLogRow[], stats: unknown[]): FrameJson {
  const seen = new Map<string, number>();
  const labels: unknown[] = [];
  const times: number[] = [];
  const nanos: number[] = [];
  const lines: string[] = [];
  const tsNs: string[] = [];
  const types: unknown[] = [];
  const ids: string[] = [];
  for (const r of rows) {
    const all = { ...r.indexed, ...r.metadata };
    const ns = BigInt(r.tsNs);
    labels.push(all);
    times.push(Number(ns / 1_000_000n));
    nanos.push(Number(ns % 1_000_000n));
    lines.push(r.line);
    tsNs.push(r.tsNs);
    types.push(Object.fromEntries([...Object.keys(r.indexed).map((k) => [k, 'I']), ...Object.keys(r.metadata).map((k) => [k, 'S'])]));
    const base = `${r.tsNs}_${fnv32a(`${r.line}_${labelsString(all)}`)}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.push(n === 0 ? base : `${base}_${n}`);
  }
  return {
    schema: {
      refId,
      meta: { typeVersion: [0, 0], custom: { frameType: 'LabeledTimeValues' }, stats, executedQueryString: `Expr: ${expr}` },
      fields: [
        { name: 'labels', type: 'other', typeInfo: { frame: 'json.RawMessage' } },
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' } },
        { name: 'Line', type: 'string', typeInfo: { frame: 'string' } },
        { name: 'tsNs', type: 'string', typeInfo: { frame: 'string' } },
        { name: 'labelTypes', type: 'other', typeInfo: { frame: 'json.RawMessage' }, config: { custom: { hidden: true } } },
        { name: 'id', type: 'string', typeInfo: { frame: 'string' } },
      ],
    },
    data: { values: [labels, times, lines, tsNs, types, ids], nanos: [null, nanos, null, null, null, null] },
  };
}

/** One frame per series: Time + Value (float64 with the series labels), meta type timeseries-multi. */
export function metricFrames(
  refId: string,
  executed: string,
  stepMs: number,
  series: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>,
): FrameJson[] {
  return series.map((s) => ({
    schema: {
      refId,
      meta: { type: 'timeseries-multi', typeVersion: [0, 1], custom: { resultType: 'matrix' }, executedQueryString: executed },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' }, config: { interval: stepMs } },
        { name: 'Value', type: 'number', typeInfo: { frame: 'float64' }, labels: s.metric, config: { displayNameFromDS: labelsString(s.metric) } },
      ],
    },
    data: { values: [s.values.map(([t]) => Math.round(t * 1000)), s.values.map(([, v]) => Number(v))] },
  }));
}
