// `node --import tsx test/support/fake-grafana/main.ts --datasource <uid>=loki:<url> [--datasource <uid>=prometheus:<url>] [--port N]`
// runs the fake /api/ds/query as a child process and prints {"url": …} on its first line.
import { parseArgs } from 'node:util';
import { startFakeGrafana, type DatasourceTarget } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, datasource: { type: 'string', multiple: true, default: [] } } });
const datasources: Record<string, DatasourceTarget> = {};
for (const spec of values.datasource) {
  const m = /^([^=]+)=(loki|prometheus):(https?:\/\/.+)$/.exec(spec);
  if (!m) {
    console.error(`--datasource: expected <uid>=loki|prometheus:<url>, got '${spec}'`);
    process.exit(2);
  }
  datasources[m[1]!] = { type: m[2] as DatasourceTarget['type'], url: m[3]! };
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected an integer 0–65535, got '${values.port}'`);
  process.exit(2);
}
const grafana = await startFakeGrafana({ datasources, port });
console.log(JSON.stringify({ url: grafana.url }));
process.on('SIGTERM', () => void grafana.close().then(() => process.exit(0)));
