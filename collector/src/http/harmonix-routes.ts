// POST /v1/annotations, GET /v1/annotations/last (the Helix strict time API) and POST /v1/alerts (Grafana webhook
// contact point → timeline + self-healing hooks). Same admission as ingest (http/admission.ts).
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { Type } from '@sinclair/typebox';
import { checkSection } from '../config/validate.js';
import { type ContractRecord, type FieldError, validateRecord, type Validation } from '@harmonix/contract';
import type { Logger } from '../core/logger.js';
import { alertRecords, forwardAlerts, parseGrafanaWebhook, type Hook } from '../sources/harmonix/alerts.js';
import { annotationRecord, validateAnnotation, type Annotation } from '../sources/harmonix/annotations.js';
import { ok, problem, type RouteExtension, type SurfaceReply } from './routes.js';

const HarmonixSection = Type.Object(
  {
    hooks: Type.Array(
      Type.Object(
        { url: Type.String({ pattern: '^https?://' }), headers: Type.Optional(Type.Record(Type.String(), Type.String())) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The `harmonix:` config section: self-healing hooks that receive every Grafana alert payload. */
export function parseHarmonixSection(raw: unknown): Hook[] {
  const value = { hooks: [], ...(raw as object) };
  checkSection(HarmonixSection, value, 'harmonix');
  return (value as { hooks: Hook[] }).hooks;
}

export interface HarmonixRouteDeps {
  apply(records: ContractRecord[]): number;
  tracer: Tracer;
  hooks: Hook[];
  logger: Logger;
  emitter: string;
}

/** Parse and validate a POST body (admission ran before it was read): the value, or the 400 to send. */
function parseJsonBody<T>(text: string, validate: (v: unknown) => Validation<T>): { ok: true; text: string; value: T } | { ok: false; reply: SurfaceReply } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, reply: problem(400, '/', `a JSON object (${(err as Error).message.slice(0, 100)})`) };
  }
  const result = validate(raw);
  if (!result.ok) return { ok: false, reply: { status: 400, body: { errors: result.errors } } };
  return { ok: true, text, value: result.value };
}

/** Records built from an accepted body, validated against the contract; `invalid` would be our bug, never hidden. */
function contractRecords(raw: Record<string, unknown>[]): { records: ContractRecord[]; invalid: { index: number; errors: FieldError[] }[] } {
  const records: ContractRecord[] = [];
  const invalid: { index: number; errors: FieldError[] }[] = [];
  raw.forEach((r, index) => {
    const v = validateRecord(r);
    if (v.ok) records.push(v.value);
    else invalid.push({ index, errors: v.errors });
  });
  return { records, invalid };
}

export function harmonixRoutes(deps: HarmonixRouteDeps): RouteExtension {
  let seq = 0;
  const ctx = { emitter: deps.emitter, nextSeq: () => ++seq };
  let last: Annotation | undefined;

  return (routes) => {
    routes.post('/v1/annotations', (req) => {
      const body = parseJsonBody(req.body, validateAnnotation);
      if (!body.ok) return body.reply;
      // 202 only once the record is on the timeline: an accepted annotation must never vanish.
      const { records, invalid } = contractRecords([annotationRecord(body.value, ctx)]);
      if (invalid.length > 0) {
        deps.logger.error({ errors: invalid[0]!.errors }, 'annotation accepted by its schema but not by the contract');
        return { status: 500, body: { errors: invalid[0]!.errors } };
      }
      if (deps.apply(records) < records.length) return problem(503, '/', 'a running collector (the timeline is not ready)');
      last = body.value;
      return ok({ accepted: 1 }, 202);
    });
    routes.get('/v1/annotations/last', () => (last ? ok(last) : problem(404, '/', 'an annotation posted first')));
    routes.post('/v1/alerts', (req) => {
      const payload = parseJsonBody(req.body, parseGrafanaWebhook);
      if (!payload.ok) return payload.reply;
      const { records, invalid } = contractRecords(alertRecords(payload.value, ctx));
      for (const { index, errors } of invalid) deps.logger.error({ alert: index, errors }, 'alert could not be put on the timeline');
      const applied = deps.apply(records);
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
      // Every alert still goes to the hooks; the answer says which ones did not reach the timeline and why.
      return ok({ accepted: applied, hooks: deps.hooks.length, ...(invalid.length > 0 && { rejected: invalid }) }, 202);
    });
  };
}
