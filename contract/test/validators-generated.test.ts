// The ahead-of-time validators are current: src/validators.generated.ts is exactly what the generator writes from
// today's schemas (a schema changed without `npm run generate:validators` fails here, naming the command).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GENERATED_PATH, generatedValidators } from '../scripts/validators-source.js';

test('src/validators.generated.ts is what `npm run generate:validators` writes from the schemas', async () => {
  assert.ok(readFileSync(GENERATED_PATH, 'utf8') === (await generatedValidators()), 'stale: run `npm run generate:validators` and commit the result');
});
