// A protocol-faithful fake Loki on 127.0.0.1: the query API (/loki/api/v1/query_range, /query) and the
// two push APIs (/loki/api/v1/push JSON, /otlp/v1/logs OTLP/JSON) with Loki's default limits.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';
import { parseQuery } from './logql.js';
import { otlpToStreams, type OtlpLogsRequest } from './otlp.js';
import { LOKI_DEFAULT_LIMITS, LokiStore, type LokiLimits, type SeriesResult, type StreamResult } from './store.js';
import { LokiError, parseDurationNs, parseTimestampNs } from './time.js';

export interface FakeLokiOptions {
  host?: string;
  port?: number;
  limits?: Partial<LokiLimits>;
  /** injected clock (ns): default end of a query, and the reference for reject_old_samples */
  nowNs?: () => bigint;
}

export interface FakeLoki {
  url: string;
  store: LokiStore;
  /** query requests served, by path (a client's query count is measurable from outside) */
  requests: Map<string, number>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The body as text, decompressed as Loki's push handlers do (Content-Encoding gzip or deflate: the OTel
 * Collector's otlphttp exporter gzips by default); the size limit holds for the decompressed body too. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new LokiError('request body too large', 413));
        req.destroy();
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
      try {
        if (encoding === '' || encoding === 'identity') resolve(raw.toString('utf8'));
        else if (encoding === 'gzip') resolve(gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES }).toString('utf8'));
        else if (encoding === 'deflate') resolve(inflateSync(raw, { maxOutputLength: MAX_BODY_BYTES }).toString('utf8'));
        else reject(new LokiError(`unsupported content encoding '${encoding}'`, 415));
      } catch (e) {
        reject(new LokiError(`cannot decompress the ${encoding} body: ${(e as Error).message}`, 400));
      }
    });
    req.on('error', reject);
  });
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function parseLimit(v: string | null): number {
  if (v === null) {
    return 100;
  }
  const n = Number(v);
  if (!Number.isInteger(n)) {
    throw new LokiError(`invalid limit: strconv.ParseInt: parsing "${v}": invalid syntax`);
  }
  if (n <= 0) {
    throw new LokiError('limit must be a positive value');
  }
  return n;
}

function parseDirection(v: string | null): 'forward' | 'backward' {
  const d = (v ?? 'backward').toLowerCase();
  if (d !== 'forward' && d !== 'backward') {
    throw new LokiError(`invalid direction '${v}'`);
  }
  return d;
}

function parseStep(v: string | null, startNs: bigint, endNs: bigint): bigint {
  if (v === null || v === '') {
    const s = (endNs - startNs) / 1_000_000_000n / 250n;
    return (s > 1n ? s : 1n) * 1_000_000_000n;
  }
  const d = parseDurationNs(v);
  if (d !== undefined) {
    return d;
  }
  const f = Number(v);
  if (!Number.isFinite(f)) {
    throw new LokiError(`invalid query, cannot parse step: ${v}`);
  }
  return BigInt(Math.round(f * 1e9));
}

const stats = (entries: number) => ({ summary: { totalEntriesReturned: entries, execTime: 0, queueTime: 0, subqueries: 0, totalPostFilterLines: entries } });

function streamsBody(result: StreamResult[], categorize: boolean) {
  let n = 0;
  const out: Array<{ stream: Record<string, string>; values: unknown[][] }> = [];
  if (categorize) {
    for (const s of result) {
      out.push({
        stream: s.labels,
        values: s.entries.map((e) => [String(e.ns), e.line, Object.keys(e.metadata).length ? { structuredMetadata: e.metadata } : {}]),
      });
      n += s.entries.length;
    }
  } else {
    // without the flag, structured metadata is folded into the stream labels: one stream object per label set
    const byLabels = new Map<string, { stream: Record<string, string>; values: unknown[][] }>();
    for (const s of result) {
      for (const e of s.entries) {
        const stream = { ...s.labels, ...e.metadata };
        const key = JSON.stringify(Object.entries(stream).sort());
        const obj = byLabels.get(key) ?? { stream, values: [] };
        obj.values.push([String(e.ns), e.line]);
        byLabels.set(key, obj);
        n++;
      }
    }
    out.push(...byLabels.values());
  }
  return { status: 'success', data: { resultType: 'streams', result: out, stats: stats(n), ...(categorize ? { encodingFlags: ['categorize-labels'] } : {}) } };
}

/** Prometheus-style sample time: a number of seconds, with a fraction only if needed. */
const seconds = (ns: bigint) => Number(ns) / 1e9;

function matrixBody(result: SeriesResult[]) {
  return {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: result.map((s) => ({ metric: s.metric, values: s.points.map(([t, v]) => [seconds(t), String(v)]) })),
      stats: stats(0),
    },
  };
}

export function startFakeLoki(opts: FakeLokiOptions = {}): Promise<FakeLoki> {
  const nowNs = opts.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
  const store = new LokiStore({ ...LOKI_DEFAULT_LIMITS, ...opts.limits }, nowNs);
  const requests = new Map<string, number>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loki');
    const path = url.pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (path === '/ready') {
      return text(res, 200, 'ready');
    }
    if (req.method === 'POST' && (path === '/loki/api/v1/push' || path === '/otlp/v1/logs')) {
      if (!(req.headers['content-type'] ?? '').includes('json')) {
        return text(res, 415, `the fake Loki accepts only JSON pushes (got content-type '${req.headers['content-type'] ?? ''}')`);
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch (e) {
        return e instanceof LokiError ? text(res, e.status, e.message) : text(res, 400, `failed to parse push request: ${(e as Error).message}`);
      }
      const batches =
        path === '/otlp/v1/logs'
          ? otlpToStreams(body as OtlpLogsRequest, nowNs())
          : ((body as { streams?: Array<{ stream?: Record<string, string>; values?: Array<[string, string, Record<string, string>?]> }> }).streams ?? []).map(
              (s) => ({
                labels: s.stream ?? {},
                entries: (s.values ?? []).map(([ns, line, metadata]) => ({ ns: BigInt(ns), line, metadata: metadata ?? {} })),
              }),
            );
      const errors = batches.flatMap((b) => store.push(b.labels, b.entries));
      // valid entries are written; the refused ones are reported together (Loki's distributor)
      return errors.length > 0 ? text(res, 400, errors.join('\n')) : (res.writeHead(204), void res.end());
    }
    if (path === '/loki/api/v1/query_range' || path === '/loki/api/v1/query') {
      const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
      const q = parseQuery(params.get('query') ?? '');
      const categorize = (req.headers['x-loki-response-encoding-flags'] ?? '').toString().split(',').includes('categorize-labels');
      const limit = parseLimit(params.get('limit'));
      const direction = parseDirection(params.get('direction'));
      if (path === '/loki/api/v1/query') {
        if (q.kind === 'log') {
          throw new LokiError('log queries are not supported as an instant query type, please change your query to a range query type');
        }
        const t = params.has('time') ? parseTimestampNs(params.get('time')!, 'time') : nowNs();
        const series = store.evalMetric(q.metric, t, t, 1n);
        return json(res, {
          status: 'success',
          data: { resultType: 'vector', result: series.map((s) => ({ metric: s.metric, value: [seconds(t), String(s.points[0]![1])] })), stats: stats(0) },
        });
      }
      const endNs = params.has('end') ? parseTimestampNs(params.get('end')!, 'end') : nowNs();
      const since = params.has('since') ? parseDurationNs(params.get('since')!) : 3_600_000_000_000n;
      if (since === undefined) {
        throw new LokiError(`invalid since: ${params.get('since')}`);
      }
      const startNs = params.has('start') ? parseTimestampNs(params.get('start')!, 'start') : endNs - since;
      if (q.kind === 'log') {
        return json(res, streamsBody(store.selectLogs(q.log, startNs, endNs, limit, direction), categorize));
      }
      return json(res, matrixBody(store.evalMetric(q.metric, startNs, endNs, parseStep(params.get('step'), startNs, endNs))));
    }
    text(res, 404, '404 page not found\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        text(res, e instanceof LokiError ? e.status : 500, e instanceof Error ? e.message : String(e));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        store,
        requests,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
