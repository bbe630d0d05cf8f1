// npm run generate:validators — writes src/validators.generated.ts: the record schemas compiled by ajv ahead of time
// (ajv "standalone" code), so no process compiles them at run time. Compiling on first use stalled the first request
// of each record type by 50–500 ms (the recorder-on p99 paid for it in every fresh process) and cost ~10 MB of peak
// memory. `contract/test/validators-generated.test.ts` fails when the file is not what this script writes.
import { writeFileSync } from 'node:fs';
import { GENERATED_PATH, generatedValidators } from './validators-source.js';

writeFileSync(GENERATED_PATH, await generatedValidators());
console.log(`wrote ${GENERATED_PATH}`);
