// The one validation path of configuration: every section (root, sources, recorder, harmonix) is a TypeBox schema
// compiled by this ajv; the first error becomes a ConfigError naming `<prefix>.<key>`. Configuration is checked when it
// is loaded, never again, so a check drops its compiled validator from ajv's cache: kept, the validators of every
// section held memory an idle agent never uses again (docs/performance.md).
import { Ajv, type ErrorObject } from 'ajv';
import * as addFormatsModule from 'ajv-formats';
import { ConfigError } from './errors.js';

const ajv = new Ajv({ allErrors: true, strict: false });
// Sources' own schemas may use any standard format (uri, date-time, …).
(addFormatsModule as unknown as { default: (a: Ajv) => Ajv }).default(ajv);

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
  const validate = ajv.compile(schema);
  ajv.removeSchema(schema);
  if (validate(value)) return;
  const e = validate.errors![0]!;
  const key = [...(prefix ? [prefix] : []), ...pathOf(e)].join('.') || '(root)';
  if (e.keyword === 'additionalProperties') throw new ConfigError(key, 'no such key (unknown key)');
  throw new ConfigError(key, e.message ?? 'a valid value', valueAt(value, e));
}
