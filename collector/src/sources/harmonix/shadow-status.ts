// Helix shadow metrics (service 1, :9010) `GET /status`: strict validation of its documented body.
import { Type, type Static } from '@sinclair/typebox';
import { compileOnUse, type Validation } from '@harmonix/contract';
import { describeError } from './field-errors.js';

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
export type Dissonance = Static<typeof Dissonance>;

export const ShadowStatus = Type.Object(
  {
    server_time_utc: Type.String({ format: 'date-time', maxLength: 40 }),
    version: Text(64),
    uptime_seconds: Type.Number({ minimum: 0 }),
    /** Null when the daemon has no dissonance data yet (the runbook: "Missing Dissonance Data"). */
    dissonance: Type.Union([Dissonance, Type.Null()]),
  },
  { additionalProperties: false },
);
export type ShadowStatus = Static<typeof ShadowStatus>;

const compiled = compileOnUse<ShadowStatus>(ShadowStatus);

export function validateShadowStatus(input: unknown): Validation<ShadowStatus> {
  const validate = compiled();
  if (validate(input)) return { ok: true, value: input };
  // A union reports both branches; the object branch's errors are the useful ones.
  const errors = (validate.errors ?? []).filter((e) => !(e.instancePath === '/dissonance' && e.keyword === 'type')).filter((e) => e.keyword !== 'anyOf');
  return { ok: false, errors: (errors.length > 0 ? errors : (validate.errors ?? [])).map(describeError) };
}
