// The local HTTP surface (fastify): /status, /healthz, /metrics, /docs, /v1/topology, /v1/events.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';
import { tokenMatches } from './auth.js';
import { parseBody, validateBatch } from './ingest.js';
import { openapi } from './openapi.js';
import type { ContractRecord } from '../contract/events.js';

export interface SurfaceDeps {
  logger: Logger;
  token?: string;
  maxBodyBytes: number;
  maxBatch: number;
  status(): object;
  healthy(): boolean;
  topology(): object;
  recent(since: number, limit: number): { cursor: number; events: unknown[] };
  ingest(records: ContractRecord[]): number;
  serveMetrics(req: FastifyRequest['raw'], res: FastifyReply['raw']): void;
}

export type RouteExtension = (app: FastifyInstance, guard: (req: FastifyRequest, reply: FastifyReply) => boolean) => void;

export function createSurface(deps: SurfaceDeps, extensions: RouteExtension[] = []): FastifyInstance {
  const app: FastifyInstance = Fastify({ loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger, bodyLimit: deps.maxBodyBytes, disableRequestLogging: true });
  // Bodies are parsed by us (strict, with index-level errors), so both content types arrive as text.
  app.removeAllContentTypeParsers();
  for (const type of ['application/json', 'application/x-ndjson']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
  app.addContentTypeParser('*', (_req, _payload, done) => done(Object.assign(new Error('unsupported content type: use application/json or application/x-ndjson'), { statusCode: 415 }), undefined));
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const expected = status === 413 ? `a body of at most ${deps.maxBodyBytes} bytes` : err.message;
    void reply.code(status).send({ errors: [{ index: null, field: '/', expected }] });
  });

  const guard = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (!deps.token || tokenMatches(req.headers.authorization, deps.token)) return true;
    void reply.code(401).header('www-authenticate', 'Bearer').send({ errors: [{ index: null, field: 'Authorization', expected: 'Bearer <token>' }] });
    return false;
  };

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
    if (!Number.isInteger(since) || since < 0) return reply.code(400).send({ errors: [{ index: null, field: 'since', expected: 'a non-negative integer cursor' }] });
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return reply.code(400).send({ errors: [{ index: null, field: 'limit', expected: 'an integer from 1 to 10000' }] });
    return deps.recent(since, limit);
  });
  app.post('/v1/events', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const ndjson = (req.headers['content-type'] ?? '').startsWith('application/x-ndjson');
    const parsed = parseBody(typeof req.body === 'string' ? req.body : '', ndjson);
    if (!parsed.ok) return reply.code(400).send({ errors: [parsed.error] });
    const result = validateBatch(parsed.items, deps.maxBatch);
    if (!result.ok) return reply.code(result.status).send({ errors: result.errors });
    const applied = deps.ingest(result.records);
    return reply.code(202).send({ accepted: result.records.length, applied });
  });
  for (const extend of extensions) extend(app, guard);
  return app;
}
