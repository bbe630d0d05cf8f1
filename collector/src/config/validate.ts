// The one validation path of configuration: every section (root, sources, recorder, harmonix) is a TypeBox schema
// compiled by ajv; the first error becomes a ConfigError naming `<prefix>.<key>`. Configuration is checked when it is
// loaded, so each check compiles its schema with an ajv of its own and keeps neither: compiled validators cached for
// the agent's lifetime held memory an idle agent never uses again (docs/performance.md).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as addFormatsModule from 'ajv-formats';
import { ConfigError } from './errors.js';

function compile(schema: object): ValidateFunction {
  // The schemas are the collector's own TypeBox constants: no meta-schema check at each load.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  // Sources' own schemas may use any standard format (uri, date-time, …).
  (addFormatsModule as unknown as { default: (a: Ajv) => Ajv }).default(ajv);
  return ajv.compile(schema);
}

const pathOf = (e: ErrorObject) => {
  const path = e.instancePath.slice(1).split('/').filter(Boolean);
  if (e.keyword === 'required') path.push(String(e.params.missingProperty));
  if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty));
  return path;
};

const valueAt = (root: unknown, e: ErrorObject) =>
  e.instancePath
    .slice(1)
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), root);

/** Throws a ConfigError naming the first invalid key of `value` (prefixed by `prefix`, e.g. `recorder`), if any. */
export function checkSection(schema: object, value: unknown, prefix = ''): void {
  const validate = compile(schema);
  if (validate(value)) return;
  const e = validate.errors![0]!;
  const key = [...(prefix ? [prefix] : []), ...pathOf(e)].join('.') || '(root)';
  if (e.keyword === 'additionalProperties') throw new ConfigError(key, 'no such key (unknown key)');
  throw new ConfigError(key, e.message ?? 'a valid value', valueAt(value, e));
}
