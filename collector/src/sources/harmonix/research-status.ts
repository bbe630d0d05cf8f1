// Helix dissonance research (service 2, :9011) `GET /status`. The runbook's health check is
// `grep -q '"ok":true'`; the rest of the body is not documented, so only `ok` is required and other fields pass.
import { Type, type Static } from '@sinclair/typebox';
import { compileOnUse, type Validation } from '@harmonix/contract';
import { describeError } from './field-errors.js';

export const ResearchStatus = Type.Object({ ok: Type.Boolean() }, { additionalProperties: true });
export type ResearchStatus = Static<typeof ResearchStatus>;

const compiled = compileOnUse<ResearchStatus>(ResearchStatus);

export function validateResearchStatus(input: unknown): Validation<ResearchStatus> {
  const validate = compiled();
  if (validate(input)) return { ok: true, value: input };
  return { ok: false, errors: (validate.errors ?? []).map(describeError) };
}
