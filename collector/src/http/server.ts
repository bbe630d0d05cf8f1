// The local HTTP surface (fastify): /status, /healthz, /metrics, /docs, /v1/topology, /v1/events.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';
import { admission } from './admission.js';
import { parseBody, validateBatch } from './ingest.js';
import { decodeBody } from './utf8.js';
import { openapi } from './openapi.js';
import type { ContractRecord } from '@harmonix/contract';
import type { BatchHints } from '../core/sink.js';

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
  serveMetrics(req: FastifyRequest['raw'], res: FastifyReply['raw']): void;
}

/** Slow-client limits: all headers within headersMs, the whole request (body included) within requestMs, and a
 * connection with no traffic for idleMs is closed. */
export interface SurfaceTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
}

/** Extra routes; admission (token, Host, Origin) has already run for them, before any body was read. */
export type RouteExtension = (app: FastifyInstance) => void;

export function createSurface(deps: SurfaceDeps, extensions: RouteExtension[] = []): FastifyInstance {
  const { headersMs, requestMs, idleMs } = deps.timeouts;
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: deps.maxBodyBytes,
    disableRequestLogging: true,
    requestTimeout: requestMs,
    connectionTimeout: idleMs,
    keepAliveTimeout: Math.min(5000, idleMs),
    // Node checks the header/request deadlines on this interval (30 s by default, far coarser than the limits).
    http: { headersTimeout: headersMs, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersMs / 4))) },
  });
  app.addHook('onRequest', admission({ token: deps.token, allowedHosts: deps.allowedHosts }));
  // Bodies are parsed by us (strict, with index-level errors), so both content types arrive as checked UTF-8 text.
  app.removeAllContentTypeParsers();
  for (const type of ['application/json', 'application/x-ndjson']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => {
      const decoded = decodeBody(body as Buffer, type === 'application/x-ndjson');
      if (decoded.ok) return done(null, decoded.text);
      done(Object.assign(new Error('valid UTF-8 text (the body holds invalid UTF-8 bytes)'), { statusCode: 400, ...decoded.problem }), undefined);
    });
  }
  app.addContentTypeParser('*', (_req, _payload, done) =>
    done(Object.assign(new Error('unsupported content type: use application/json or application/x-ndjson'), { statusCode: 415 }), undefined),
  );
  app.setErrorHandler((err: { statusCode?: number; message: string; index?: number | null; field?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const expected = status === 413 ? `a body of at most ${deps.maxBodyBytes} bytes` : err.message;
    void reply.code(status).send({ errors: [{ index: err.index ?? null, field: err.field ?? '/', expected }] });
  });

  app.get('/status', async () => deps.status());
  app.get('/healthz', async (_req, reply) => (deps.healthy() ? { status: 'ok' } : reply.code(503).send({ status: 'unhealthy' })));
  app.get('/metrics', (req, reply) => {
    reply.hijack();
    deps.serveMetrics(req.raw, reply.raw);
  });
  app.get('/docs', async () => openapi);
  app.get('/v1/topology', async () => deps.topology());
  app.get('/v1/events', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const since = q.since === undefined ? 0 : Number(q.since);
    const limit = q.limit === undefined ? 1000 : Number(q.limit);
    if (!Number.isInteger(since) || since < 0)
      return reply.code(400).send({ errors: [{ index: null, field: 'since', expected: 'a non-negative integer cursor' }] });
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000)
      return reply.code(400).send({ errors: [{ index: null, field: 'limit', expected: 'an integer from 1 to 10000' }] });
    return deps.recent(since, limit);
  });
  app.post('/v1/events', async (req, reply) => {
    // Media types are case-insensitive (RFC 9110 §8.3.1).
    const ndjson = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-ndjson');
    const parsed = parseBody(typeof req.body === 'string' ? req.body : '', ndjson);
    if (!parsed.ok) return reply.code(400).send({ errors: [parsed.error] });
    const result = validateBatch(parsed.items, deps.maxBatch, parsed.texts);
    if (!result.ok) return reply.code(result.status).send({ errors: result.errors });
    const applied = deps.ingest(result.records, result.hints);
    return reply.code(202).send({ accepted: result.records.length, applied });
  });
  for (const extend of extensions) extend(app);
  return app;
}
