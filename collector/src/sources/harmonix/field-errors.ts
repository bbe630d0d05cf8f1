// ajv errors of a daemon's /status body as field-named reasons ("/uptime_seconds must be number").
import type { ErrorObject } from 'ajv';
import type { FieldError } from '@harmonix/contract';

export function describeError(e: ErrorObject): FieldError {
  if (e.keyword === 'required') return { field: `${e.instancePath}/${String(e.params.missingProperty)}`, expected: 'a value (required)' };
  if (e.keyword === 'additionalProperties')
    return { field: `${e.instancePath}/${String(e.params.additionalProperty)}`, expected: 'no such field (unknown field)' };
  return { field: e.instancePath || '/', expected: e.message ?? e.keyword };
}
