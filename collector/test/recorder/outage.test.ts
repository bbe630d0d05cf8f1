// No loss through outages, against the REAL OpenTelemetry Collector: stop it, produce events, SIGKILL the hmx
// collector (a real child process), restart both, and compare what the file exporter wrote with what was produced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ContractRecord } from '@harmonix/contract';
import { repoRoot } from '../../../test/support/binaries.js';
import { TestOtelcol } from '../../../test/support/otelcol.js';
import { freePort } from '../../../test/support/ports.js';
import { httpProbe, startProcess, type ManagedProcess } from '../../../test/support/process.js';
import { pollUntil } from '../../../test/support/wait.js';
import { tempDir } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/collector-child.ts', import.meta.url));

async function startChild(dir: string, otlp: string): Promise<{ proc: ManagedProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess({
    name: 'hmx-collector',
    command: process.execPath,
    args: ['--import', 'tsx', fixture],
    cwd: repoRoot,
    env: { ...process.env, HMX_REC_DIR: dir, HMX_OTLP: otlp, HMX_PORT: String(port) },
    ready: httpProbe(`${url}/healthz`),
    readyTimeoutMs: 60_000,
  });
  return { proc, url };
}

async function post(url: string, records: ContractRecord[]): Promise<void> {
  const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
  const text = await res.text();
  assert.equal(res.status, 202, text);
  const body = JSON.parse(text) as { applied: number };
  assert.equal(body.applied, records.length, 'every produced event is applied (valid against the topology)');
}

async function sigkill(proc: ManagedProcess): Promise<void> {
  process.kill(-proc.pid, 'SIGKILL');
  await pollUntil(async () => (proc.exited() ? true : undefined), { timeoutMs: 10_000, what: 'the collector to die' });
}

/** Lifecycle events of one emitter: nodes join, actors spawn, some exit and restart, a node fails, audits. */
function scenario(emitter: string, prefix: string, count: number): ContractRecord[] {
  const out: ContractRecord[] = [];
  let seq = 0;
  const time = () => new Date(Date.now() + seq).toISOString();
  const nodes = [0, 1, 2].map((i) => ({ id: `mesh:${prefix}n${i}`, kind: 'vm', layer: 'mesh' as const, name: `${prefix}n${i}` }));
  for (const node of nodes) out.push({ v: 1, type: 'node.joined', time: time(), emitter, seq: ++seq, node });
  for (let i = 0; out.length < count; i++) {
    const node = nodes[i % 2]!;
    const actor = { id: `mesh:${prefix}n${i % 2}/a${i}`, kind: 'worker', layer: 'mesh' as const, name: `a${i}`, node: node.id };
    out.push({ v: 1, type: 'actor.spawned', time: time(), emitter, seq: ++seq, actor });
    if (i % 3 === 0) out.push({ v: 1, type: 'actor.restarted', time: time(), emitter, seq: ++seq, actor, restartCount: 1, reason: 'crash loop' });
    if (i % 5 === 0) out.push({ v: 1, type: 'audit', time: time(), emitter, seq: ++seq, subject: node.id, message: `check ${i}`, severity: 'warning' });
  }
  out.push({ v: 1, type: 'node.failed', time: time(), emitter, seq: ++seq, node: nodes[2]!, reason: 'power' });
  return out;
}

test('outage: otelcol down + SIGKILL + restart → 0 lifecycle events lost, duplicates only with the same emitter+seq', { timeout: 240_000 }, async (t) => {
  const dir = await tempDir(t);
  const otelcol = await TestOtelcol.start({ prometheusRemoteWriteUrl: 'http://127.0.0.1:9/api/v1/write' });
  t.after(() => otelcol.close());
  let child = await startChild(dir, otelcol.otlpHttpUrl);
  t.after(() => child.proc.stop());

  const before = scenario('outage-a', 'a', 30);
  const during = scenario('outage-b', 'b', 40);
  const afterRestart = scenario('outage-c', 'c', 30);
  const ours = (r: { body: unknown }) => typeof r.body === 'string' && /"emitter":"outage-[abc]"/.test(r.body);

  await post(child.url, before);
  await otelcol.waitForLogRecords((r) => typeof r.body === 'string' && r.body.includes(`"emitter":"outage-a","seq":${before.length}`), 30_000);

  // The file exporter starts a new file when otelcol restarts: keep what arrived so far.
  const early = (await otelcol.readLogRecords()).filter(ours).map((r) => JSON.parse(r.body as string) as ContractRecord);
  await otelcol.stop(); // the endpoint is down
  await post(child.url, during);
  const status = (await (await fetch(`${child.url}/v1/recorder`)).json()) as { shipping: { pending: number } };
  assert.ok(status.shipping.pending >= during.length, `pending ${status.shipping.pending} while the endpoint is down`);
  await sigkill(child.proc); // no graceful stop: the open bundle exists only as the journal

  child = await startChild(dir, otelcol.otlpHttpUrl);
  await post(child.url, afterRestart);
  await otelcol.restart();

  const produced = [...before, ...during, ...afterRestart];
  const key = (r: { emitter: string; seq: number }) => `${r.emitter}#${r.seq}`;
  let missing: string[] = [];
  let lastStatus = '';
  const arrived = await pollUntil(
    async () => {
      const got = [...early, ...(await otelcol.readLogRecords()).filter(ours).map((r) => JSON.parse(r.body as string) as ContractRecord)];
      const seen = new Set(got.map(key));
      missing = produced.filter((p) => !seen.has(key(p))).map(key);
      lastStatus = await fetch(`${child.url}/v1/recorder`).then(
        (r) => r.text(),
        (e: unknown) => String(e),
      );
      return missing.length === 0 ? got : undefined;
    },
    {
      timeoutMs: 90_000,
      intervalMs: 500,
      what: 'every produced lifecycle event in the otelcol file exporter output',
      detail: () => `missing ${missing.length}: ${missing.slice(0, 10).join(', ')}\nrecorder: ${lastStatus}\ncollector output:\n${child.proc.output(20)}`,
    },
  );
  const producedByKey = new Map(produced.map((p) => [key(p), JSON.parse(JSON.stringify(p)) as unknown]));
  for (const a of arrived) {
    assert.ok(producedByKey.has(key(a)), `unexpected record ${key(a)}`);
    assert.deepEqual(a, producedByKey.get(key(a)), `a duplicate of ${key(a)} carries the same emitter+seq and the same body`);
  }
  const lost = produced.filter((p) => !arrived.some((a) => key(a) === key(p)));
  assert.deepEqual(lost, [], '0 lifecycle events lost');
  t.diagnostic(`produced ${produced.length}, arrived ${arrived.length} (${arrived.length - new Set(arrived.map(key)).size} at-least-once duplicates)`);
});
