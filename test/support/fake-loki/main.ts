// `node --import tsx test/support/fake-loki/main.ts [--port N] [--now-ms MS]`: runs the fake Loki as a child
// process (the panel's jest and browser tests start it this way) and prints {"url": …} on its first line.
import { parseArgs } from 'node:util';
import { startFakeLoki } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'now-ms': { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected an integer 0–65535, got '${values.port}'`);
  process.exit(2);
}
let nowNs: (() => bigint) | undefined;
if (values['now-ms'] !== undefined) {
  const at = Number(values['now-ms']);
  if (!Number.isFinite(at)) {
    console.error(`--now-ms: expected epoch milliseconds, got '${values['now-ms']}'`);
    process.exit(2);
  }
  // the injected "now" advances with the wall clock from the given instant
  const offset = at - Date.now();
  nowNs = () => BigInt(Math.round(Date.now() + offset)) * 1_000_000n;
}
const loki = await startFakeLoki({ port, nowNs });
console.log(JSON.stringify({ url: loki.url }));
process.on('SIGTERM', () => void loki.close().then(() => process.exit(0)));
