// POST /v1/annotations, GET /v1/annotations/last (document 002's time API) and POST /v1/alerts (Grafana webhook
// contact point → timeline + self-healing hooks). Same auth rule as ingest: the bearer token when one is set.
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../config/errors.js';
import { validateRecord, type FieldError } from '../contract/validate.js';
import type { ContractRecord } from '../contract/events.js';
import type { Logger } from '../core/logger.js';
import { alertRecords, forwardAlerts, parseGrafanaWebhook, type Hook } from '../sources/harmonix/alerts.js';
import { annotationRecord, validateAnnotation, type Annotation } from '../sources/harmonix/annotations.js';
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

const parse = (body: unknown): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } => {
  try {
    return { ok: true, value: JSON.parse(typeof body === 'string' ? body : '') };
  } catch (err) {
    return { ok: false, errors: [{ field: '/', expected: `a JSON object (${(err as Error).message.slice(0, 100)})` }] };
  }
};

export function harmonixRoutes(deps: HarmonixRouteDeps): RouteExtension {
  let seq = 0;
  const ctx = { emitter: deps.emitter, nextSeq: () => ++seq };
  let last: Annotation | undefined;
  const toRecords = (raw: Record<string, unknown>[]) => raw.map((r) => validateRecord(r)).flatMap((v) => (v.ok ? [v.value] : []));

  return (app, guard) => {
    app.post('/v1/annotations', async (req, reply) => {
      if (!guard(req, reply)) return reply;
      const body = parse(req.body);
      if (!body.ok) return reply.code(400).send({ errors: body.errors });
      const result = validateAnnotation(body.value);
      if (!result.ok) return reply.code(400).send({ errors: result.errors });
      last = result.value;
      deps.apply(toRecords([annotationRecord(result.value, ctx)]));
      return reply.code(202).send({ accepted: 1 });
    });
    app.get('/v1/annotations/last', async (_req, reply) => (last ? last : reply.code(404).send({ errors: [{ field: '/', expected: 'an annotation posted first' }] })));
    app.post('/v1/alerts', async (req, reply) => {
      if (!guard(req, reply)) return reply;
      const body = parse(req.body);
      if (!body.ok) return reply.code(400).send({ errors: body.errors });
      const payload = parseGrafanaWebhook(body.value);
      if (!payload.ok) return reply.code(400).send({ errors: payload.errors });
      const records = toRecords(alertRecords(payload.value, ctx));
      deps.apply(records);
      // Each alert notification is a small trace in Tempo: receipt, then one child span per hook delivery.
      const span = deps.tracer.startSpan(`alert ${payload.value.status}`, {
        kind: SpanKind.SERVER,
        attributes: { 'hmx.alert.count': payload.value.alerts.length, 'hmx.alert.status': payload.value.status },
      });
      void forwardAlerts(body.value, deps.hooks).then((results) => {
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
