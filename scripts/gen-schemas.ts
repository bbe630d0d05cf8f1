// Writes the contract's JSON Schema files (docs/schemas/) from the TypeBox definitions of @harmonix/contract (the validator the collector and the SDK use).
// `npm run schemas` regenerates them; a test fails when they are out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contractSchemaFiles } from '../contract/src/json-schema.js';

const dir = fileURLToPath(new URL('../docs/schemas/', import.meta.url));
for (const [name, text] of Object.entries(contractSchemaFiles())) writeFileSync(join(dir, name), text);
console.log(`wrote ${Object.keys(contractSchemaFiles()).length} schema files to docs/schemas/`);
