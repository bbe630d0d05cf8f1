/**
 * The agent as shipped: the `hmx-collector` command (collector/bin/hmx-collector.mjs, its V8 flags) running the
 * esbuild bundle that `npm run build` writes. The other tests run the TypeScript sources; this one proves that the
 * bundle does what they do where bundling can break it: the lazily loaded OTLP exporters (their log records reach the
 * real OTel Collector), the /metrics exposition, and the demo's node processes forked from a file beside the bundle.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../support/binaries.js';
import { TestOtelcol } from '../support/otelcol.js';
import { freePorts } from '../support/ports.js';
import { httpProbe, startProcess, type ManagedProcess } from '../support/process.js';
import { pollUntil } from '../support/wait.js';

const launcher = join(repoRoot, 'collector', 'bin', 'hmx-collector.mjs');
let otelcol: TestOtelcol;
const running: ManagedProcess[] = [];

before(async () => {
  // Metrics go nowhere (a closed port): this test reads the logs file.
  otelcol = await TestOtelcol.start({ prometheusRemoteWriteUrl: 'http://127.0.0.1:9/api/v1/write' });
});

after(async () => {
  for (const p of running) await p.stop();
  await otelcol?.stop();
});

async function startAgent(command: string, port: number, extra: string[] = []): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess({
    name: `hmx-collector ${command}`,
    command: launcher,
    args: [command, '--listen', `127.0.0.1:${port}`, ...extra],
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: otelcol.otlpHttpUrl,
      HMX_LOG_LEVEL: 'warn',
      HMX_RECORDER_DIR: mkdtempSync(join(tmpdir(), 'hmx-shipped-')),
    },
    ready: httpProbe(`${url}/healthz`),
  });
  running.push(proc);
  return url;
}

test('the shipped run command exports a posted record to the OTel Collector and serves /metrics', async () => {
  const [port] = await freePorts(1);
  const url = await startAgent('run', port!);
  const node = { id: 'mesh:shipped-1', kind: 'mesh-node', layer: 'mesh', name: 'shipped 1' };
  const record = { v: 1, type: 'node.joined', time: new Date(Date.now() - 1000).toISOString(), emitter: 'shipped-test', seq: 1, node };
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${JSON.stringify(record)}\n`,
  });
  assert.equal(res.status < 300, true, `POST /v1/events: ${res.status} ${await res.text()}`);
  const got = await pollUntil(async () => (await otelcol.readLogRecords()).find((r) => r.attributes['hmx.emitter'] === 'shipped-test'), {
    timeoutMs: 30_000,
    what: "the shipped agent's log record in the otelcol logs file",
  });
  assert.equal(got.attributes['hmx.node.id'], node.id);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  assert.match(metrics, /^target_info\{.*service_name="hmx-collector"/m);
  assert.match(metrics, /^hmx_/m);
});

test('the shipped demo command forks its node processes and they report', async () => {
  const [port] = await freePorts(1);
  const url = await startAgent('demo', port!, ['--nodes', '2', '--actors', '2', '--no-chaos']);
  const topology = await pollUntil(
    async () => {
      const t = (await (await fetch(`${url}/v1/topology`)).json()) as { nodes: { id: string }[]; actors: unknown[] };
      return t.nodes.length >= 2 && t.actors.length >= 4 ? t : undefined;
    },
    { timeoutMs: 30_000, what: "the demo's two nodes and four actors in /v1/topology" },
  );
  assert.ok(topology.nodes.length >= 2);
});
