// Annotations (the Helix strict time API, made useful): validate the body, turn it into a contract record.
// The HTTP route (POST /v1/annotations, GET /v1/annotations/last) lives in collector/src/http and calls these.
import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { compileOnUse, type FieldError, Id, type Validation } from '@harmonix/contract';
import type { SourceContext } from '../../core/source.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });

export const AnnotationBody = Type.Object(
  {
    /** ISO 8601 date-time with a zone (the RFC 3339 profile), e.g. 2025-11-11T20:20:00Z. */
    iso_timestamp: Type.String({ format: 'date-time', maxLength: 40 }),
    /** IANA zone name the human meant (e.g. UTC, Europe/Berlin). */
    timezone: Text(64),
    /** Data provenance. */
    source: Text(256),
    /** Human-readable description / id. */
    human: Text(1024),
  },
  { additionalProperties: false },
);
export type Annotation = Static<typeof AnnotationBody>;

const compiled = compileOnUse<Annotation>(AnnotationBody);

function fieldError(e: ErrorObject): FieldError {
  if (e.keyword === 'required') return { field: `/${String(e.params.missingProperty)}`, expected: 'a value (required)' };
  if (e.keyword === 'additionalProperties') return { field: `/${String(e.params.additionalProperty)}`, expected: 'no such field (unknown field)' };
  if (e.keyword === 'format') return { field: e.instancePath, expected: 'an ISO 8601 date-time with a time zone, e.g. 2025-11-11T20:20:00Z' };
  if (e.keyword === 'pattern') return { field: e.instancePath, expected: 'text without control characters' };
  return { field: e.instancePath || '/', expected: e.message ?? e.keyword };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The validated annotation, or every offending field. */
export function validateAnnotation(input: unknown): Validation<Annotation> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: [{ field: '/', expected: 'a JSON object' }] };
  const validate = compiled();
  if (!validate(input)) return { ok: false, errors: (validate.errors ?? []).map(fieldError) };
  const errors: FieldError[] = [];
  if (!Number.isFinite(Date.parse(input.iso_timestamp))) errors.push({ field: '/iso_timestamp', expected: 'an ISO 8601 date-time that exists' });
  if (!isTimeZone(input.timezone)) errors.push({ field: '/timezone', expected: 'an IANA time zone name, e.g. UTC or Europe/Berlin' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: input };
}

const SUBJECT_PREFIX = 'annotation:';

/**
 * `annotation:<source>` when that fits the contract's id length; otherwise the source is cut (by code points, as
 * ajv counts them) and a hash of the whole source appended, so distinct long sources keep distinct subjects.
 * The whole source is always in the `hmx.annotation.source` attribute.
 */
export function annotationSubject(source: string): string {
  const max = Id.maxLength!;
  const points = Array.from(source);
  if (SUBJECT_PREFIX.length + points.length <= max) return SUBJECT_PREFIX + source;
  const hash = `~${createHash('sha256').update(source).digest('hex').slice(0, 12)}`;
  return SUBJECT_PREFIX + points.slice(0, max - SUBJECT_PREFIX.length - hash.length).join('') + hash;
}

/** The annotation as a contract `audit` record on the timeline (subject from `annotationSubject`). */
export function annotationRecord(a: Annotation, ctx: Pick<SourceContext, 'emitter' | 'nextSeq'>): Record<string, unknown> {
  return {
    v: 1,
    type: 'audit',
    time: a.iso_timestamp,
    emitter: ctx.emitter,
    seq: ctx.nextSeq(),
    subject: annotationSubject(a.source),
    message: a.human,
    severity: 'info',
    attributes: { 'hmx.annotation': true, 'hmx.annotation.source': a.source, 'hmx.annotation.timezone': a.timezone },
  };
}
