// Strict validation of contract records with field-level errors (dispatch on `type`, so errors name the real field).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { isDateTime } from './date-time.js';
import { AJV_OPTIONS, RECORD_SCHEMAS } from './schemas-list.js';
import * as compiled from './validators.generated.js';
import type { ContractRecord } from './events.js';

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. `/actor/node`. */
  field: string;
  expected: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export const ajv = new Ajv(AJV_OPTIONS);
ajv.addFormat('date-time', { type: 'string', validate: isDateTime });

/**
 * A validator compiled on its first call instead of at import: ajv's code generation costs every process that
 * imports the contract ~300 ms and ~10 MB of peak memory for the dozen schemas, and an idle agent runs none of them.
 */
export function compileOnUse<T = unknown>(schema: TSchema): () => ValidateFunction<T> {
  let validate: ValidateFunction<T> | undefined;
  return () => (validate ??= ajv.compile<T>(schema));
}

// The record schemas are compiled ahead of time (npm run generate:validators): the hot path never waits for ajv.
const byType = new Map<string, ValidateFunction>(
  Object.entries(RECORD_SCHEMAS).map(([name, schema]) => [
    String(schema.$id).slice('hmx.'.length),
    compiled[name as keyof typeof RECORD_SCHEMAS] as ValidateFunction,
  ]),
);

export const RECORD_TYPES = [...byType.keys()];
const INGEST_TYPES = RECORD_TYPES.filter((t) => t !== 'keyframe');

function describe(e: ErrorObject): FieldError {
  const base = e.instancePath || '/';
  switch (e.keyword) {
    case 'required':
      return { field: `${e.instancePath}/${String(e.params.missingProperty)}`, expected: 'a value (required)' };
    case 'additionalProperties':
      return {
        field: `${e.instancePath}/${String(e.params.additionalProperty)}`,
        expected: 'no such field (unknown field)',
      };
    case 'enum':
      return { field: base, expected: `one of ${(e.params.allowedValues as string[]).join(', ')}` };
    case 'pattern':
      return { field: base, expected: 'text without control characters (or a valid name)' };
    default:
      return { field: base, expected: e.message ?? e.keyword };
  }
}

/** Validate one contract record; `allowKeyframe` is false for ingest (keyframes are produced, not accepted). */
/** A valid record comes with its `time` in epoch ms (parsed by the check; callers need not parse it again). */
export type RecordValidation = { ok: true; value: ContractRecord; timeMs: number } | { ok: false; errors: FieldError[] };

export function validateRecord(input: unknown, allowKeyframe = false): RecordValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '/', expected: 'a JSON object' }] };
  }
  const type = (input as { type?: unknown }).type;
  const allowed = allowKeyframe ? RECORD_TYPES : INGEST_TYPES;
  const validate = typeof type === 'string' && allowed.includes(type) ? byType.get(type) : undefined;
  if (!validate) {
    return { ok: false, errors: [{ field: '/type', expected: `one of ${allowed.join(', ')}` }] };
  }
  return validate(input) ? dateCheck(input as ContractRecord) : { ok: false, errors: fieldErrors(validate) };
}

/** The last run's errors, one per field and expectation. */
function fieldErrors(validate: ValidateFunction): FieldError[] {
  const seen = new Set<string>();
  return (validate.errors ?? []).map(describe).filter((e) => {
    const key = `${e.field}|${e.expected}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** A validator for any other schema (e.g. the log and trace signals), with the same field-level errors. */
export function validator<T>(schema: TSchema): (input: unknown) => Validation<T> {
  const compiled = compileOnUse(schema);
  return (input) => {
    const validate = compiled();
    return validate(input) ? { ok: true, value: input as T } : { ok: false, errors: fieldErrors(validate) };
  };
}

// JSON Schema's date-time accepts leap seconds and odd offsets that Date cannot hold; reject what we cannot order.
function dateCheck(record: ContractRecord): RecordValidation {
  const timeMs = Date.parse(record.time);
  return Number.isFinite(timeMs) ? { ok: true, value: record, timeMs } : { ok: false, errors: [{ field: '/time', expected: 'an RFC 3339 date-time' }] };
}
