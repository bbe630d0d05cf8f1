import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { contractSchemaFiles } from '../src/json-schema.js';

const dir = new URL('../../docs/schemas/', import.meta.url);

test('docs/schemas/ matches the schemas the collector validates with (run `npm run schemas` after a change)', () => {
  for (const [name, text] of Object.entries(contractSchemaFiles())) {
    assert.equal(readFileSync(new URL(name, dir), 'utf8'), text, `${name} is out of date`);
  }
});

test('the published schema files validate examples on their own, with a stock JSON Schema validator', () => {
  const ajv = new Ajv2020({ strict: false });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  const schema = JSON.parse(readFileSync(new URL('actor.exited.schema.json', dir), 'utf8')) as object;
  const validate = ajv.compile(schema);
  const actor = { id: 'k8s:default/web-1', kind: 'pod', layer: 'kubernetes', name: 'web-1', node: 'k8s:worker-1' };
  assert.ok(validate({ v: 1, type: 'actor.exited', time: '2026-11-01T00:00:00Z', emitter: 'k8s@h', seq: 7, actor, reason: 'OOMKilled', exitCode: 137 }));
  assert.equal(validate({ v: 1, type: 'actor.exited', time: '2026-11-01T00:00:00Z', emitter: 'k8s@h', seq: 7, actor: { ...actor, node: undefined } }), false);
});
