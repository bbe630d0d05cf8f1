// POST /v1/annotations, GET /v1/annotations/last (document 002's time API) and POST /v1/alerts (Grafana webhook
// contact point → timeline + self-healing hooks). Same admission as ingest (http/admission.ts).
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../config/errors.js';
import { validateRecord, type Validation } from '../contract/validate.js';
import type { ContractRecord } from '../contract/events.js';
import type { Logger } from '../core/logger.js';
import { alertRecords, forwardAlerts, parseGrafanaWebhook, type Hook } from '../sources/harmonix/alerts.js';
import { annotationRecord, validateAnnotation, type Annotation } from '../sources/harmonix/annotations.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteExtension } from './server.js';

const HarmonixSection = Type.Object(
  { hooks: Type.Array(Type.Object({ url: Type.String({ pattern: '^https?://' }), headers: Type.Optional(Type.Record(Type.String(), Type.String())) }, { additionalProperties: false })) },
  { additionalProperties: false },
);

/** The `harmonix:` config section: self-healing hooks that receive every Grafana alert payload. */
export function parseHarmonixSection(raw: unknown): Hook[] {
  const value = { hooks: [], ...(raw as object) };
  const error = [...Value.Errors(HarmonixSection, value)][0];
  if (error) throw new ConfigError(`harmonix${error.path.replace(/\//g, '.')}`, error.message.toLowerCase(), error.value);
  return (value as { hooks: Hook[] }).hooks;
}

export interface HarmonixRouteDeps {
  apply(records: ContractRecord[]): number;
  tracer: Tracer;
  hooks: Hook[];
  logger: Logger;
  emitter: string;
}

/** Parse and validate a POST body (admission ran before it was read); on failure the 400 is sent, undefined returned. */
function readBody<T>(req: FastifyRequest, reply: FastifyReply, validate: (v: unknown) => Validation<T>): { text: string; value: T } | undefined {
  const text = typeof req.body === 'string' ? req.body : '';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    void reply.code(400).send({ errors: [{ field: '/', expected: `a JSON object (${(err as Error).message.slice(0, 100)})` }] });
    return undefined;
  }
  const result = validate(raw);
  if (!result.ok) {
    void reply.code(400).send({ errors: result.errors });
    return undefined;
  }
  return { text, value: result.value };
}

export function harmonixRoutes(deps: HarmonixRouteDeps): RouteExtension {
  let seq = 0;
  const ctx = { emitter: deps.emitter, nextSeq: () => ++seq };
  let last: Annotation | undefined;
  const toRecords = (raw: Record<string, unknown>[]) => raw.map((r) => validateRecord(r)).flatMap((v) => (v.ok ? [v.value] : []));

  return (app) => {
    app.post('/v1/annotations', async (req, reply) => {
      const body = readBody(req, reply, validateAnnotation);
      if (!body) return reply;
      last = body.value;
      deps.apply(toRecords([annotationRecord(body.value, ctx)]));
      return reply.code(202).send({ accepted: 1 });
    });
    app.get('/v1/annotations/last', async (_req, reply) => (last ? last : reply.code(404).send({ errors: [{ field: '/', expected: 'an annotation posted first' }] })));
    app.post('/v1/alerts', async (req, reply) => {
      const payload = readBody(req, reply, parseGrafanaWebhook);
      if (!payload) return reply;
      const records = toRecords(alertRecords(payload.value, ctx));
      deps.apply(records);
      // Each alert notification is one span in Tempo, ended (with the hooks' outcome) once forwarding is done.
      const span = deps.tracer.startSpan(`alert ${payload.value.status}`, {
        kind: SpanKind.SERVER,
        attributes: { 'hmx.alert.count': payload.value.alerts.length, 'hmx.alert.status': payload.value.status },
      });
      // The hooks get the body exactly as Grafana sent it: re-serialising untrusted JSON can overflow the stack.
      void forwardAlerts(payload.text, deps.hooks).then((results) => {
        for (const r of results) {
          if (!r.ok) deps.logger.error({ hook: r.url, attempts: r.attempts, status: r.status, error: r.error }, 'self-healing hook did not accept the alert');
        }
        span.setStatus(results.every((r) => r.ok) ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: 'a hook failed' });
        span.setAttribute('hmx.hooks.delivered', results.filter((r) => r.ok).length);
        span.end();
      });
      return reply.code(202).send({ accepted: records.length, hooks: deps.hooks.length });
    });
  };
}
