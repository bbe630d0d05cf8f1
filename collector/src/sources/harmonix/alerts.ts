// Grafana alerting webhook (contact point type "webhook") → contract audit records, and forwarding of the same
// payload to Harmonix self-healing hooks with retries and backoff. The HTTP route (POST /v1/alerts) calls these.
import { Type, type Static } from '@sinclair/typebox';
import { compileOnUse, type FieldError, type Validation } from '@harmonix/contract';
import { backoffDelay, type Clock, systemClock } from '@harmonix/delivery';
import type { SourceContext } from '../../core/source.js';

const Labels = Type.Record(Type.String(), Type.String());
const Status = Type.Union([Type.Literal('firing'), Type.Literal('resolved')]);

export const GrafanaAlert = Type.Object(
  {
    status: Status,
    labels: Labels,
    annotations: Labels,
    startsAt: Type.String({ format: 'date-time' }),
    /** "0001-01-01T00:00:00Z" while firing. */
    endsAt: Type.String({ format: 'date-time' }),
    fingerprint: Type.String({ minLength: 1, maxLength: 128 }),
    generatorURL: Type.Optional(Type.String()),
  },
  // Grafana adds fields across versions (silenceURL, dashboardURL, panelURL, values, valueString, …).
  { additionalProperties: true },
);
export const GrafanaWebhook = Type.Object(
  {
    status: Status,
    alerts: Type.Array(GrafanaAlert, { maxItems: 10000 }),
    receiver: Type.Optional(Type.String()),
    groupKey: Type.Optional(Type.String()),
    externalURL: Type.Optional(Type.String()),
    version: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type GrafanaAlert = Static<typeof GrafanaAlert>;
export type GrafanaWebhook = Static<typeof GrafanaWebhook>;

const compiled = compileOnUse<GrafanaWebhook>(GrafanaWebhook);

export function parseGrafanaWebhook(input: unknown): Validation<GrafanaWebhook> {
  const validate = compiled();
  if (validate(input)) return { ok: true, value: input };
  const seen = new Set<string>();
  const errors: FieldError[] = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'anyOf')
    .map((e) =>
      e.keyword === 'required'
        ? { field: `${e.instancePath}/${String(e.params.missingProperty)}`, expected: 'a value (required)' }
        : { field: e.instancePath || '/', expected: e.keyword === 'const' ? 'firing or resolved' : (e.message ?? e.keyword) },
    )
    .filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
  return { ok: false, errors };
}

// Webhook text is free text: control characters (a summary's newlines and tabs) are kept, written as JSON-style
// escapes so the record fits the contract's control-free text; bounded.
const ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
const clean = (s: string, max: number) =>
  s.replace(/[\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, max);
const ID = /^[^\u0000-\u001f\u007f]{1,256}$/;

const SEVERITY: [RegExp, 'critical' | 'error' | 'warning' | 'info'][] = [
  [/^(critical|crit|page|fatal|emergency|p1)$/i, 'critical'],
  [/^(error|err|high|major|p2)$/i, 'error'],
  [/^(warning|warn|medium|minor|p3)$/i, 'warning'],
  [/^(info|low|none|p4|p5)$/i, 'info'],
];

function subjectOf(a: GrafanaAlert): string {
  for (const key of ['hmx_actor_id', 'hmx.actor.id', 'hmx_node_id', 'hmx.node.id', 'hmx_subject']) {
    const v = a.labels[key];
    if (v && ID.test(v)) return v;
  }
  return `alert:${clean(a.fingerprint, 120)}`;
}

function timeOf(a: GrafanaAlert, now: string): string {
  const t = a.status === 'firing' ? a.startsAt : a.endsAt;
  return Date.parse(t) > 0 ? t : now; // Go's zero time means "not set"
}

/** One audit record per alert (firing or resolved), time = when it started or ended. */
export function alertRecords(
  payload: GrafanaWebhook,
  ctx: Pick<SourceContext, 'emitter' | 'nextSeq'>,
  now = new Date().toISOString(),
): Record<string, unknown>[] {
  return payload.alerts.map((a) => {
    const name = a.labels.alertname ?? 'alert';
    const summary = a.annotations.summary ?? a.annotations.description ?? '';
    const severity = a.status === 'resolved' ? 'info' : (SEVERITY.find(([re]) => re.test(a.labels.severity ?? ''))?.[1] ?? 'warning');
    const labels = Object.entries(a.labels)
      .filter(([k]) => k !== 'alertname')
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .slice(0, 24)
      .map(([k, v]) => [`hmx.alert.label.${k.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 80)}`, clean(v, 1024)]);
    return {
      v: 1,
      type: 'audit',
      time: timeOf(a, now),
      emitter: ctx.emitter,
      seq: ctx.nextSeq(),
      subject: subjectOf(a),
      message: clean(`[${a.status.toUpperCase()}] ${name}${summary ? `: ${summary}` : ''}`, 1024),
      severity,
      attributes: {
        'hmx.alert.status': a.status,
        'hmx.alert.name': clean(name, 1024),
        'hmx.alert.fingerprint': clean(a.fingerprint, 1024),
        ...(payload.receiver && { 'hmx.alert.receiver': clean(payload.receiver, 1024) }),
        ...Object.fromEntries(labels),
      },
    };
  });
}

export interface Hook {
  url: string;
  headers?: Record<string, string>;
}

export interface ForwardOptions {
  /** Retries after the first attempt. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
  /** Injected in tests (no real waiting). */
  clock?: Clock;
  random?: () => number;
}

export interface ForwardResult {
  url: string;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export const DEFAULT_FORWARD: ForwardOptions = { retries: 3, backoffBaseMs: 250, backoffMaxMs: 5000, timeoutMs: 5000 };

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * POST the webhook body (the JSON text as received) to every hook; retry network errors, timeouts, 408/429/5xx with
 * exponential backoff (core/backoff.ts). Never rejects: every failure is a result.
 */
export async function forwardAlerts(body: string, hooks: readonly Hook[], options: ForwardOptions = DEFAULT_FORWARD): Promise<ForwardResult[]> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const backoff = { baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs };
  return Promise.all(
    hooks.map(async (hook): Promise<ForwardResult> => {
      let last: ForwardResult = { url: hook.url, ok: false, attempts: 0 };
      for (let attempt = 0; attempt <= options.retries; attempt++) {
        if (attempt > 0) await clock.sleep(backoffDelay(attempt - 1, backoff, random));
        try {
          const res = await fetch(hook.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...hook.headers },
            body,
            signal: AbortSignal.timeout(options.timeoutMs),
          });
          await res.arrayBuffer().catch(() => undefined);
          last = { url: hook.url, ok: res.ok, attempts: attempt + 1, status: res.status };
          if (res.ok || !retryable(res.status)) return last;
        } catch (err) {
          const e = err as Error & { cause?: { code?: string } };
          last = {
            url: hook.url,
            ok: false,
            attempts: attempt + 1,
            error: e.name === 'TimeoutError' ? `timeout after ${options.timeoutMs} ms` : (e.cause?.code ?? e.message),
          };
        }
      }
      return last;
    }),
  );
}
