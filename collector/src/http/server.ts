// The local HTTP surface on node:http: /status, /healthz, /metrics, /docs, /v1/topology, /v1/events. A dozen fixed
// routes need no framework, and the agent's idle footprint is mostly the code it loads (docs/performance.md).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractRecord } from '@harmonix/contract';
import type { Logger } from '../core/logger.js';
import type { BatchHints } from '../core/sink.js';
import { admission } from './admission.js';
import { mediaType, readBody } from './body.js';
import { parseBody, validateBatch } from './ingest.js';
import { openapi } from './openapi.js';
import { ok, problem, RouteTable, type RouteExtension, type SurfaceReply, type SurfaceRequest } from './routes.js';

export type { RouteExtension } from './routes.js';

export interface SurfaceDeps {
  logger: Logger;
  token?: string;
  maxBodyBytes: number;
  maxBatch: number;
  timeouts: SurfaceTimeouts;
  /** Extra host names accepted in Host/Origin when there is no token (loopback names always are). */
  allowedHosts: readonly string[];
  status(): object;
  healthy(): boolean;
  topology(): object;
  recent(since: number, limit: number): { cursor: number; events: unknown[] };
  ingest(records: ContractRecord[], hints?: BatchHints): number;
  serveMetrics(req: IncomingMessage, res: ServerResponse): void;
}

/** Slow-client limits: all headers within headersMs, the whole request (body included) within requestMs, and a
 * connection with no traffic for idleMs is closed. */
export interface SurfaceTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
}

export interface Surface {
  listen(host: string, port: number): Promise<AddressInfo>;
  close(): Promise<void>;
}

const cursorParam = (raw: string | null, fallback: number) => (raw === null ? fallback : Number(raw));

function coreRoutes(deps: SurfaceDeps): RouteExtension {
  return (routes) => {
    routes.get('/status', () => ok(deps.status()));
    routes.get('/healthz', () => (deps.healthy() ? ok({ status: 'ok' }) : ok({ status: 'unhealthy' }, 503)));
    routes.raw('/metrics', (req, res) => deps.serveMetrics(req, res));
    routes.get('/docs', () => ok(openapi));
    routes.get('/v1/topology', () => ok(deps.topology()));
    routes.get('/v1/events', (req) => {
      const since = cursorParam(req.query.get('since'), 0);
      const limit = cursorParam(req.query.get('limit'), 1000);
      if (!Number.isInteger(since) || since < 0) return problem(400, 'since', 'a non-negative integer cursor');
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return problem(400, 'limit', 'an integer from 1 to 10000');
      return ok(deps.recent(since, limit));
    });
    routes.post('/v1/events', (req) => {
      const parsed = parseBody(req.body, mediaType(req.headers['content-type']) === 'application/x-ndjson');
      if (!parsed.ok) return { status: 400, body: { errors: [parsed.error] } };
      const result = validateBatch(parsed.items, deps.maxBatch, parsed.texts);
      if (!result.ok) return { status: result.status, body: { errors: result.errors } };
      const applied = deps.ingest(result.records, result.hints);
      return ok({ accepted: result.records.length, applied }, 202);
    });
  };
}

function send(res: ServerResponse, reply: SurfaceReply, head: boolean, close = false): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(close && { connection: 'close' }),
    ...reply.headers,
  });
  res.end(head ? undefined : text);
}

export function createSurface(deps: SurfaceDeps, extensions: RouteExtension[] = []): Surface {
  const log = deps.logger.child({ component: 'http' });
  const routes = new RouteTable();
  for (const extend of [coreRoutes(deps), ...extensions]) extend(routes);
  const admit = admission({ token: deps.token, allowedHosts: deps.allowedHosts });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const refusal = admit(req);
    if (refusal) return send(res, refusal, head, method === 'POST');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const match = routes.match(method, path);
    if (match.kind === 'none') return send(res, match.reply, head, method === 'POST');
    if (match.kind === 'raw') return match.handler(req, res);
    let body = '';
    if (match.method === 'POST') {
      const read = await readBody(req, deps.maxBodyBytes);
      if (!read.ok) return 'gone' in read ? undefined : send(res, read.reply, false, read.close);
      body = read.text;
    }
    const request: SurfaceRequest = { query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)), headers: req.headers, body };
    send(res, await match.handler(request), head);
  }

  const server: Server = createServer(
    {
      requestTimeout: deps.timeouts.requestMs,
      headersTimeout: deps.timeouts.headersMs,
      keepAliveTimeout: Math.min(5000, deps.timeouts.idleMs),
      // Node checks the header/request deadlines on this interval (30 s by default, far coarser than the limits).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(deps.timeouts.headersMs / 4))),
    },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        log.error({ err: err instanceof Error ? err.stack : String(err), path: req.url }, 'request failed');
        if (!res.headersSent) send(res, problem(500, '/', 'a request the collector can serve (it failed; see its log)'), req.method === 'HEAD', true);
        else res.destroy();
      });
    },
  );
  // A connection with no traffic for idleMs is closed (the socket is destroyed when no callback is given).
  server.setTimeout(deps.timeouts.idleMs);

  return {
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
