// The normalised observer event (one JSON object per line of an events file) and its strict parse.
import { Type, type Static } from '@sinclair/typebox';
import { isCanonicalUtc, parseIsoMs, utcIso } from './time.js';

/** Node and service names end up in ids and file keys: a conservative name alphabet. */
export const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' });
export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ObserverEvent = Type.Object(
  {
    // RFC 3339, or ISO 8601's ±hhmm offset; the hand check below also rejects dates that do not exist.
    timestamp: Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:?\\d{2})$' }),
    type: Type.String({ pattern: '^[a-z][a-z0-9_.]{0,63}$' }),
    node: Type.Optional(Name),
    service: Type.Optional(Name),
    correlation_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' })),
    severity: Type.Optional(Type.Unsafe<Severity>({ type: 'string', enum: [...SEVERITIES] })),
    message: Type.Optional(Type.String({ maxLength: 2000 })),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  // Producers may add fields; only the ones above are interpreted.
  { additionalProperties: true },
);
export type ObserverEvent = Static<typeof ObserverEvent>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const TYPE = /^[a-z][a-z0-9_.]{0,63}$/;
const CORRELATION = /^[^\u0000-\u001f\u007f]{1,200}$/;
const SEVERITY = new Set<string>(SEVERITIES);

/** Names and types repeat on almost every line: remember valid ones (bounded) instead of matching again. */
function memo(re: RegExp): (value: string) => boolean {
  const ok = new Set<string>();
  return (value) => {
    if (ok.has(value)) return true;
    if (!re.test(value)) return false;
    if (ok.size < 100000) ok.add(value);
    return true;
  };
}
const isName = memo(NAME);
const isType = memo(TYPE);

/** Fields a type needs beyond the envelope (the world cannot place the event otherwise). */
const REQUIRED: Record<string, readonly ('node' | 'service' | 'correlation_id')[]> = {
  node_online: ['node'],
  node_heartbeat: ['node'],
  node_offline: ['node'],
  service_unhealthy: ['node', 'service'],
  healthcheck_failed: ['node', 'service'],
  service_recovered: ['service'],
  deployment_started: ['correlation_id'],
  deployment_stage: ['correlation_id'],
  deployment_succeeded: ['correlation_id'],
  deployment_completed: ['correlation_id'],
  deployment_failed: ['correlation_id'],
};
export const KNOWN_TYPES = Object.keys(REQUIRED);

/** The event, or the reason it was rejected (a string naming the field). No wrapper: this runs per line. */
export type ParseResult = ObserverEvent | string;

/**
 * The schema above, checked by hand: this runs once per event (a million per rebuild), where a generic
 * validator costs several times more. The unit tests hold both to the same verdicts.
 */
function check(e: Record<string, unknown>): string | undefined {
  if (typeof e.type !== 'string' || !isType(e.type)) return '/type: a lower-case event type';
  if (e.node !== undefined && (typeof e.node !== 'string' || !isName(e.node))) return '/node: a node name';
  if (e.service !== undefined && (typeof e.service !== 'string' || !isName(e.service))) return '/service: a service name';
  if (e.correlation_id !== undefined && (typeof e.correlation_id !== 'string' || !CORRELATION.test(e.correlation_id))) {
    return '/correlation_id: text of 1-200 characters';
  }
  if (e.severity !== undefined && (typeof e.severity !== 'string' || !SEVERITY.has(e.severity))) return `/severity: one of ${SEVERITIES.join(', ')}`;
  if (e.message !== undefined && (typeof e.message !== 'string' || e.message.length > 2000)) return '/message: text up to 2000 characters';
  if (e.payload !== undefined && (typeof e.payload !== 'object' || e.payload === null || Array.isArray(e.payload))) return '/payload: an object';
  for (const field of REQUIRED[e.type] ?? []) {
    if (e[field] === undefined) return `/${field}: required for ${e.type}`;
  }
  return undefined;
}

/**
 * Parses lines one at a time; a reason names the offending field. Unknown `type`s parse fine (the world ignores
 * them). The event's epoch ms is kept here, not added to the event: a property added to a parsed object costs an
 * allocation per event (a million per rebuild).
 */
export class EventParser {
  /** Epoch ms of the `timestamp` of the event last parsed. */
  ms = 0;

  parse(line: string): ParseResult {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return 'not valid JSON';
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return '/: a JSON object';
    const ts = (value as { timestamp?: unknown }).timestamp;
    const ms = typeof ts === 'string' ? parseIsoMs(ts) : NaN;
    if (Number.isNaN(ms)) return '/timestamp: an ISO 8601 date-time with a time zone';
    const reason = check(value as Record<string, unknown>);
    if (reason) return reason;
    const event = value as ObserverEvent;
    this.ms = ms;
    // The world is written in UTC whatever zone the producer used.
    if (!isCanonicalUtc(event.timestamp)) event.timestamp = utcIso(ms);
    return event;
  }
}

const DIAGNOSTIC_KEYS = ['diagnostics', 'diagnostic_files', 'log_file', 'log_files', 'logs'] as const;

const NO_REFS: readonly string[] = [];

/** Diagnostic file references carried by a payload (strings or arrays of strings under the known keys). */
export function diagnosticRefs(payload: Record<string, unknown> | undefined): readonly string[] {
  if (!payload) return NO_REFS; // most events carry none: no array each
  const refs: string[] = [];
  for (const key of DIAGNOSTIC_KEYS) {
    const v = payload[key];
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
    for (const item of list) {
      if (typeof item === 'string' && item.length > 0 && item.length <= 1024 && !refs.includes(item)) refs.push(item);
    }
  }
  return refs;
}
