import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { observerSource } from '../../../src/sources/observer/index.js';

// The collector validates each source section with TypeBox's Value.Errors (config/load.ts): the same here.
const errors = (schema: object, value: unknown) => [...Value.Errors(schema as never, value)].map((e) => e.path);

test('observer config: defaults validate; an unknown key is named', () => {
  assert.deepEqual(errors(observerSource.configSchema, observerSource.defaults), []);
  assert.ok(errors(observerSource.configSchema, { ...observerSource.defaults, eventDir: '/x' }).includes('/eventDir'));
});
