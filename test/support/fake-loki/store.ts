// The fake Loki's storage: streams of entries keyed by their index labels, each entry with its structured
// metadata, kept in time order; queries follow Loki's semantics and refuse what Loki's defaults refuse.
import { matches, passesStages, type LogQuery, type MetricQuery } from './logql.js';
import { LokiError, formatDuration } from './time.js';

export interface Entry {
  ns: bigint;
  line: string;
  metadata: Record<string, string>;
}

interface Stream {
  labels: Record<string, string>;
  entries: Entry[];
  newestNs: bigint;
}

/** Loki's `limits_config` defaults (docs/sources/shared/configuration.md, v3.7). */
export interface LokiLimits {
  maxEntriesLimitPerQuery: number;
  maxQuerySeries: number;
  maxQueryLengthNs: bigint;
  maxLineSizeBytes: number;
  rejectOldSamplesMaxAgeNs: bigint;
  creationGracePeriodNs: bigint;
  /** out-of-order writes are accepted back to newest - max_chunk_age/2 per stream */
  outOfOrderWindowNs: bigint;
  maxPoints: number;
}

const HOUR = 3_600_000_000_000n;
export const LOKI_DEFAULT_LIMITS: LokiLimits = {
  maxEntriesLimitPerQuery: 5000,
  maxQuerySeries: 500,
  maxQueryLengthNs: 721n * HOUR,
  maxLineSizeBytes: 256 * 1024,
  rejectOldSamplesMaxAgeNs: 168n * HOUR,
  creationGracePeriodNs: HOUR / 6n,
  outOfOrderWindowNs: HOUR,
  maxPoints: 11_000,
};

export interface StreamResult {
  labels: Record<string, string>;
  entries: Entry[];
}

export interface SeriesResult {
  metric: Record<string, string>;
  points: Array<[ns: bigint, value: number]>;
}

export function labelsKey(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}

/** First index whose ns is >= ns (entries sorted ascending). */
function lowerBound(entries: Entry[], ns: bigint): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.ns < ns) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function modelDuration(ns: bigint): string {
  const h = ns / HOUR;
  return h % 24n === 0n ? `${h / 24n}d` : h >= 24n ? `${h / 24n}d${h % 24n}h` : `${h}h`;
}

export class LokiStore {
  private readonly streams = new Map<string, Stream>();

  constructor(
    readonly limits: LokiLimits = LOKI_DEFAULT_LIMITS,
    private readonly nowNs: () => bigint = () => BigInt(Date.now()) * 1_000_000n,
  ) {}

  /** Pushes entries to one stream; keeps the valid ones and returns one message per refused entry. */
  push(labels: Record<string, string>, entries: Entry[]): string[] {
    const key = labelsKey(labels);
    const errors: string[] = [];
    const now = this.nowNs();
    let stream = this.streams.get(key);
    for (const e of entries) {
      const size = Buffer.byteLength(e.line, 'utf8');
      if (size > this.limits.maxLineSizeBytes) {
        errors.push(`max entry size '${this.limits.maxLineSizeBytes}' bytes exceeded for stream '${key}' while adding an entry with length '${size}' bytes`);
        continue;
      }
      if (e.ns < now - this.limits.rejectOldSamplesMaxAgeNs) {
        errors.push(
          `entry for stream '${key}' has timestamp too old: ${new Date(Number(e.ns / 1_000_000n)).toISOString()}, oldest acceptable timestamp is: ${new Date(Number((now - this.limits.rejectOldSamplesMaxAgeNs) / 1_000_000n)).toISOString()}`,
        );
        continue;
      }
      if (e.ns > now + this.limits.creationGracePeriodNs) {
        errors.push(`entry for stream '${key}' has timestamp too new: ${new Date(Number(e.ns / 1_000_000n)).toISOString()}`);
        continue;
      }
      if (stream && e.ns < stream.newestNs - this.limits.outOfOrderWindowNs) {
        errors.push(
          `entry too far behind, entry timestamp is: ${new Date(Number(e.ns / 1_000_000n)).toISOString()}, oldest acceptable timestamp is: ${new Date(Number((stream.newestNs - this.limits.outOfOrderWindowNs) / 1_000_000n)).toISOString()} for stream '${key}'`,
        );
        continue;
      }
      if (!stream) {
        stream = { labels: { ...labels }, entries: [], newestNs: e.ns };
        this.streams.set(key, stream);
      }
      if (e.ns >= stream.newestNs) {
        stream.entries.push(e);
        stream.newestNs = e.ns;
      } else {
        stream.entries.splice(lowerBound(stream.entries, e.ns + 1n), 0, e);
      }
    }
    return errors;
  }

  get entryCount(): number {
    let n = 0;
    for (const s of this.streams.values()) {
      n += s.entries.length;
    }
    return n;
  }

  private checkRange(startNs: bigint, endNs: bigint): void {
    if (endNs < startNs) {
      throw new LokiError('end timestamp must not be before or equal to start time');
    }
    if (endNs - startNs > this.limits.maxQueryLengthNs) {
      throw new LokiError(
        `the query time range exceeds the limit (query length: ${formatDuration(endNs - startNs)}, limit: ${modelDuration(this.limits.maxQueryLengthNs)})`,
      );
    }
  }

  /** Entries of [startNs, endNs) that pass the query, at most `limit`, newest first when backward. */
  selectLogs(q: LogQuery, startNs: bigint, endNs: bigint, limit: number, direction: 'forward' | 'backward'): StreamResult[] {
    this.checkRange(startNs, endNs);
    if (limit > this.limits.maxEntriesLimitPerQuery) {
      throw new LokiError(`max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${this.limits.maxEntriesLimitPerQuery})`);
    }
    const hits: Array<{ stream: Stream; entry: Entry }> = [];
    for (const stream of this.streams.values()) {
      if (!q.selector.every((m) => matches(m, stream.labels))) {
        continue;
      }
      const lo = lowerBound(stream.entries, startNs);
      const hi = lowerBound(stream.entries, endNs);
      // each stream contributes at most `limit` entries from the right end of the window
      let taken = 0;
      for (let k = 0; k < hi - lo && taken < limit; k++) {
        const entry = stream.entries[direction === 'forward' ? lo + k : hi - 1 - k]!;
        if (passesStages(q.stages, entry.line, { ...stream.labels, ...entry.metadata })) {
          hits.push({ stream, entry });
          taken++;
        }
      }
    }
    hits.sort((a, b) => (a.entry.ns === b.entry.ns ? 0 : a.entry.ns < b.entry.ns === (direction === 'forward') ? -1 : 1));
    const byStream = new Map<Stream, Entry[]>();
    for (const { stream, entry } of hits.slice(0, limit)) {
      const list = byStream.get(stream) ?? [];
      list.push(entry);
      byStream.set(stream, list);
    }
    return [...byStream].map(([s, entries]) => ({ labels: s.labels, entries }));
  }

  /** A range-vector function evaluated at start, start+step, … ≤ end; steps without entries have no point. */
  evalMetric(q: MetricQuery, startNs: bigint, endNs: bigint, stepNs: bigint): SeriesResult[] {
    this.checkRange(startNs, endNs);
    if (stepNs <= 0n) {
      throw new LokiError('zero or negative query resolution step widths are not accepted. Try a positive integer');
    }
    if ((endNs - startNs) / stepNs > BigInt(this.limits.maxPoints)) {
      throw new LokiError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
    }
    // metric series carry the stream labels plus structured metadata (Loki 3)
    const series = new Map<string, { labels: Record<string, string>; entries: Entry[] }>();
    for (const stream of this.streams.values()) {
      if (!q.log.selector.every((m) => matches(m, stream.labels))) {
        continue;
      }
      const lo = lowerBound(stream.entries, startNs - q.rangeNs);
      const hi = lowerBound(stream.entries, endNs + 1n);
      for (let k = lo; k < hi; k++) {
        const e = stream.entries[k]!;
        const labels = { ...stream.labels, ...e.metadata };
        if (!passesStages(q.log.stages, e.line, labels)) {
          continue;
        }
        const grouped = groupLabels(labels, q.aggregate);
        const key = labelsKey(grouped);
        const s = series.get(key) ?? { labels: grouped, entries: [] };
        s.entries.push(e);
        series.set(key, s);
      }
    }
    const out: SeriesResult[] = [];
    for (const s of series.values()) {
      s.entries.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
      const points: Array<[bigint, number]> = [];
      for (let t = startNs; t <= endNs; t += stepNs) {
        // the range (t - range, t]
        const lo = lowerBound(s.entries, t - q.rangeNs + 1n);
        const hi = lowerBound(s.entries, t + 1n);
        if (hi > lo) {
          points.push([t, rangeValue(q, s.entries, lo, hi)]);
        }
      }
      if (points.length > 0) {
        out.push({ metric: s.labels, points });
      }
    }
    if (out.length > this.limits.maxQuerySeries) {
      throw new LokiError(
        `maximum number of series (${this.limits.maxQuerySeries}) reached for a single query; consider reducing query cardinality by adding more filters to the query or by using aggregations`,
      );
    }
    return out;
  }
}

function groupLabels(labels: Record<string, string>, agg: MetricQuery['aggregate']): Record<string, string> {
  if (!agg) {
    return labels;
  }
  const out: Record<string, string> = {};
  if (agg.by) {
    for (const k of agg.by) {
      if (labels[k] !== undefined) {
        out[k] = labels[k];
      }
    }
  } else if (agg.without) {
    for (const [k, v] of Object.entries(labels)) {
      if (!agg.without.includes(k)) {
        out[k] = v;
      }
    }
  }
  return out;
}

/** The value of one series (or sum group) over the entries of one step's range. */
function rangeValue(q: MetricQuery, entries: Entry[], lo: number, hi: number): number {
  const seconds = Number(q.rangeNs) / 1e9;
  const bytes = () => entries.slice(lo, hi).reduce((n, e) => n + Buffer.byteLength(e.line, 'utf8'), 0);
  switch (q.fn) {
    case 'count_over_time':
      return hi - lo;
    case 'rate':
      return (hi - lo) / seconds;
    case 'bytes_over_time':
      return bytes();
    case 'bytes_rate':
      return bytes() / seconds;
  }
}
