// The daemon status document (document 002, shadow-metrics `GET /status`) and its strict validation.
import { Type, type Static } from '@sinclair/typebox';
import { ajv, type FieldError, type Validation } from '../../contract/validate.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });

export const Dissonance = Type.Object(
  {
    value: Type.Number(),
    timestamp: Type.String({ format: 'date-time', maxLength: 40 }),
    source: Text(256),
    ip: Type.Optional(Text(64)),
  },
  { additionalProperties: false },
);

export const DaemonStatus = Type.Object(
  {
    server_time_utc: Type.String({ format: 'date-time', maxLength: 40 }),
    version: Text(64),
    uptime_seconds: Type.Number({ minimum: 0 }),
    /** Null when the daemon has no dissonance data yet (document 002: "Missing Dissonance Data"). */
    dissonance: Type.Union([Dissonance, Type.Null()]),
  },
  { additionalProperties: false },
);
export type DaemonStatus = Static<typeof DaemonStatus>;

const validate = ajv.compile<DaemonStatus>(DaemonStatus);

function describe(e: NonNullable<typeof validate.errors>[number]): FieldError {
  if (e.keyword === 'required') return { field: `${e.instancePath}/${String(e.params.missingProperty)}`, expected: 'a value (required)' };
  if (e.keyword === 'additionalProperties') return { field: `${e.instancePath}/${String(e.params.additionalProperty)}`, expected: 'no such field (unknown field)' };
  return { field: e.instancePath || '/', expected: e.message ?? e.keyword };
}

export function validateStatus(input: unknown): Validation<DaemonStatus> {
  if (validate(input)) return { ok: true, value: input };
  // A union reports both branches; the object branch's errors are the useful ones.
  const errors = (validate.errors ?? []).filter((e) => !(e.instancePath === '/dissonance' && e.keyword === 'type')).filter((e) => e.keyword !== 'anyOf');
  return { ok: false, errors: (errors.length > 0 ? errors : (validate.errors ?? [])).map(describe) };
}
