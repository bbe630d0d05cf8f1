// A fake of Grafana's POST /api/ds/query on 127.0.0.1: forwards each query to the Loki or Prometheus
// HTTP API the way Grafana's backends do (pkg/tsdb/loki, pkg/promlib) and answers in Grafana's real
// response shape (results by refId, data frames JSON, per-refId errors, HTTP 400 when any query failed).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lokiLogFrame, metricFrames, type FrameJson, type LokiLogRow } from './frames.js';

export interface DatasourceTarget {
  type: 'loki' | 'prometheus';
  url: string;
}

export interface FakeGrafanaOptions {
  /** datasource uid → backend */
  datasources: Record<string, DatasourceTarget>;
  host?: string;
  port?: number;
}

export interface FakeGrafana {
  url: string;
  /** every query forwarded, in order (a client's query count per seek is measurable from outside) */
  forwarded: Array<{ uid: string; expr: string; from: number; to: number }>;
  close(): Promise<void>;
}

interface DsQuery {
  refId?: string;
  datasource?: { type?: string; uid?: string };
  expr?: string;
  queryType?: string;
  instant?: boolean;
  range?: boolean;
  maxLines?: number;
  direction?: string;
  intervalMs?: number;
  maxDataPoints?: number;
  step?: string;
  interval?: string;
  resolution?: number;
}

type RefResult = { status: number; frames: FrameJson[] } | { error: string; errorSource: string; status: number };

class DownstreamError extends Error {}

function parseMs(v: unknown, field: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) {
    throw new Error(`${field}: expected epoch milliseconds, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Go duration / Prometheus duration in ms ("15s", "5m", "100ms"); a bare number is seconds. */
function durationMs(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) {
    return undefined;
  }
  const f = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's']!;
  return Number(m[1]) * f;
}

async function downstream(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, init);
  const body = await res.text();
  if (!res.ok) {
    // Loki answers text/plain, Prometheus JSON {error}; Grafana passes the text on
    let msg = body.trim();
    try {
      msg = (JSON.parse(body) as { error?: string; message?: string }).error ?? msg;
    } catch {
      // plain text
    }
    throw new DownstreamError(msg);
  }
  return JSON.parse(body);
}

async function lokiQuery(ds: DatasourceTarget, q: DsQuery, from: number, to: number): Promise<FrameJson[]> {
  const expr = q.expr ?? '';
  const isLog = expr.trim().startsWith('{');
  const params = new URLSearchParams({ query: expr });
  if (q.queryType === 'instant') {
    params.set('time', String(BigInt(Math.round(to)) * 1_000_000n));
  } else {
    params.set('start', String(BigInt(Math.round(from)) * 1_000_000n));
    params.set('end', String(BigInt(Math.round(to)) * 1_000_000n));
  }
  if (q.maxLines && q.maxLines > 0) {
    params.set('limit', String(q.maxLines));
  }
  params.set('direction', q.direction === 'forward' ? 'forward' : 'backward');
  // pkg/tsdb/loki/step.go: an explicit step, else max(intervalMs × resolution, range / 11000), whole ms
  const explicit = q.step ? durationMs(q.step) : undefined;
  const stepMs = Math.ceil(explicit ?? Math.max((q.intervalMs ?? 1000) * (q.resolution ?? 1), (to - from) / 11000, 1));
  params.set('step', `${stepMs}ms`);
  const path = q.queryType === 'instant' ? '/loki/api/v1/query' : '/loki/api/v1/query_range';
  const body = (await downstream(`${ds.url}${path}?${params}`, { headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } })) as {
    data: { resultType: string; result: Array<Record<string, unknown>>; stats?: unknown };
  };
  const refId = q.refId ?? 'A';
  if (body.data.resultType === 'streams' && isLog) {
    const rows: LokiLogRow[] = [];
    for (const s of body.data.result as Array<{
      stream: Record<string, string>;
      values: Array<[string, string, { structuredMetadata?: Record<string, string> }?]>;
    }>) {
      for (const [tsNs, line, cat] of s.values) {
        rows.push({ tsNs, line, indexed: s.stream, metadata: cat?.structuredMetadata ?? {} });
      }
    }
    // all streams merged into one frame in the query's direction
    const forward = q.direction === 'forward';
    rows.sort((a, b) => {
      const d = BigInt(a.tsNs) - BigInt(b.tsNs);
      return d === 0n ? 0 : d < 0n === forward ? -1 : 1;
    });
    return [lokiLogFrame(refId, expr, rows, [])];
  }
  if (body.data.resultType === 'vector') {
    const series = (body.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((s) => ({
      metric: s.metric,
      values: [s.value],
    }));
    return metricFrames(refId, `Expr: ${expr}`, stepMs, series);
  }
  return metricFrames(
    refId,
    `Expr: ${expr}\nStep: ${stepMs}ms`,
    stepMs,
    body.data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>,
  );
}

/** pkg/promlib: step = max(intervalMs, min interval (default 15s), range / 11000), start/end aligned to it. */
async function prometheusQuery(ds: DatasourceTarget, q: DsQuery, from: number, to: number): Promise<FrameJson[]> {
  const expr = q.expr ?? '';
  const minMs = q.interval ? (durationMs(q.interval) ?? 15_000) : 15_000;
  const stepMs = Math.max(q.intervalMs ?? 0, minMs, Math.ceil((to - from) / 11000));
  const refId = q.refId ?? 'A';
  if (q.instant) {
    const body = (await downstream(`${ds.url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr, time: String(to / 1000) }) })) as {
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    return metricFrames(
      refId,
      `Expr: ${expr}`,
      stepMs,
      body.data.result.map((s) => ({ metric: s.metric, values: [s.value] })),
    );
  }
  const start = Math.floor(from / stepMs) * stepMs;
  const end = Math.floor(to / stepMs) * stepMs;
  const body = (await downstream(`${ds.url}/api/v1/query_range`, {
    method: 'POST',
    body: new URLSearchParams({ query: expr, start: String(start / 1000), end: String(end / 1000), step: String(stepMs / 1000) }),
  })) as { data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
  return metricFrames(refId, `Expr: ${expr}\nStep: ${stepMs / 1000}s`, stepMs, body.data.result);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function startFakeGrafana(opts: FakeGrafanaOptions): Promise<FakeGrafana> {
  const forwarded: FakeGrafana['forwarded'] = [];
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://grafana');
    if (req.method !== 'POST' || url.pathname !== '/api/ds/query') {
      return send(res, 404, { message: 'Not found' });
    }
    let body: { queries?: DsQuery[]; from?: unknown; to?: unknown };
    let from: number;
    let to: number;
    try {
      body = (await readJson(req)) as typeof body;
      from = parseMs(body.from, 'from');
      to = parseMs(body.to, 'to');
    } catch (e) {
      return send(res, 400, { message: `bad request data: ${(e as Error).message}` });
    }
    if (!Array.isArray(body.queries) || body.queries.length === 0) {
      return send(res, 400, { message: 'No queries found' });
    }
    const results: Record<string, RefResult> = {};
    // Server-Timing: downstream = waiting on Loki/Prometheus, total = the whole request (a client splits its
    // wait into server time and transfer)
    const started = performance.now();
    let downstreamMs = 0;
    for (const q of body.queries) {
      const refId = q.refId ?? 'A';
      const uid = q.datasource?.uid ?? '';
      const ds = opts.datasources[uid];
      if (!ds) {
        return send(res, 404, { message: `Data source not found: ${uid}` });
      }
      forwarded.push({ uid, expr: q.expr ?? '', from, to });
      const asked = performance.now();
      try {
        results[refId] = { status: 200, frames: ds.type === 'loki' ? await lokiQuery(ds, q, from, to) : await prometheusQuery(ds, q, from, to) };
      } catch (e) {
        // the SDK writes status 500 for a plugin error without a status; errorSource from the HTTP status
        results[refId] = { error: (e as Error).message, errorSource: e instanceof DownstreamError ? 'downstream' : 'plugin', status: 500 };
      }
      downstreamMs += performance.now() - asked;
    }
    const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
    const payload = JSON.stringify({ results: sorted });
    const timing = `downstream;dur=${downstreamMs.toFixed(1)}, total;dur=${(performance.now() - started).toFixed(1)}`;
    res.writeHead(Object.values(sorted).some((r) => 'error' in r) ? 400 : 200, { 'content-type': 'application/json', 'server-timing': timing });
    res.end(payload);
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { message: String(e) }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, forwarded, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}
