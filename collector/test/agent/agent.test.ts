import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startAgent, type Agent } from '../../src/agent.js';
import { buildConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { builtinSources } from '../../src/sources/index.js';

let agent: Agent;
const hookBodies: unknown[] = [];
const hookRaw: string[] = [];
const hook = createServer((req, res) => {
  let text = '';
  req.on('data', (c: Buffer) => (text += c.toString()));
  req.on('end', () => {
    hookRaw.push(text);
    hookBodies.push(text.length < 10_000 ? JSON.parse(text) : null);
    res.writeHead(200).end();
  });
});
const TOKEN = 'agent-test-token-123456';

before(async () => {
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/heal`;
  const config = buildConfig(
    [
      {
        listen: '127.0.0.1:0',
        token: TOKEN,
        sources: { os: { enabled: false }, hardware: { enabled: false } },
        recorder: { dir: mkdtempSync(join(tmpdir(), 'hmx-agent-')) },
        harmonix: { hooks: [{ url: hookUrl }] },
      },
    ],
    builtinSources,
  );
  agent = await startAgent(config, silentLogger());
});
after(async () => {
  await agent.stop();
  hook.close();
});

const post = (path: string, body: unknown, token = TOKEN) =>
  fetch(`${agent.collector.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

test('annotations: strict schema with field errors; valid ones land on the timeline; last is served', async () => {
  const bad = await post('/v1/annotations', { iso_timestamp: 'tuesday', source: 'ops', timezone: 'UTC', human: 'x' });
  assert.equal(bad.status, 400);
  assert.ok(((await bad.json()) as { errors: { field: string }[] }).errors.some((e) => e.field === '/iso_timestamp'));
  assert.equal(
    (await post('/v1/annotations', { iso_timestamp: '2026-11-23T20:20:00Z', source: 'ops', timezone: 'UTC', human: 'x' }, 'wrong-token-wrong-token')).status,
    401,
  );
  const ok = await post('/v1/annotations', { iso_timestamp: '2026-11-23T20:20:00Z', source: 'ops', timezone: 'UTC', human: 'deploy 42' });
  assert.equal(ok.status, 202);
  const last = (await (await fetch(`${agent.collector.url}/v1/annotations/last`)).json()) as { human: string };
  assert.equal(last.human, 'deploy 42');
  const events = agent.collector.topology.recentSince(0, 100).map((e) => e.record);
  assert.ok(events.some((r) => r.type === 'audit' && r.subject === 'annotation:ops' && r.time === '2026-11-23T20:20:00Z'));
});

test('alerts: a Grafana webhook payload becomes audit records and reaches the self-healing hook', async () => {
  const payload = {
    receiver: 'hmx',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'NodeDown', severity: 'critical', hmx_node_id: 'mesh:node-2' },
        annotations: { summary: 'node-2 is down' },
        startsAt: '2026-11-23T20:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'abc123',
      },
    ],
  };
  const res = await post('/v1/alerts', payload);
  assert.equal(res.status, 202);
  const audits = agent.collector.topology
    .recentSince(0, 100)
    .map((e) => e.record)
    .filter((r) => r.type === 'audit' && r.message.includes('NodeDown'));
  assert.equal(audits.length, 1);
  for (let i = 0; i < 50 && hookBodies.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(hookBodies[0], payload);
  assert.equal((await post('/v1/alerts', { alerts: 'nope' })).status, 400);
});

test('alerts: a valid webhook with a ~10k-deep extra field is accepted and forwarded byte for byte; the collector keeps serving', async () => {
  const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  const text = `{"status":"firing","extra":${deep},"alerts":[{"status":"firing","labels":{"alertname":"Deep"},"annotations":{},"startsAt":"2026-11-23T20:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"deep1"}]}`;
  const before = hookBodies.length;
  const res = await fetch(`${agent.collector.url}/v1/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: text,
  });
  assert.equal(res.status, 202);
  assert.equal(((await res.json()) as { accepted: number }).accepted, 1);
  for (let i = 0; i < 50 && hookBodies.length === before; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(hookRaw.at(-1), text);
  assert.equal((await fetch(`${agent.collector.url}/status`)).status, 200);
});

test('alerts: a summary with a newline and a tab is kept (escaped) on the timeline, not dropped', async () => {
  const payload = {
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'Multi' },
        annotations: { summary: 'line one\nline\ttwo' },
        startsAt: '2026-11-23T20:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'multi1',
      },
    ],
  };
  const res = await post('/v1/alerts', payload);
  assert.equal(res.status, 202);
  assert.equal(((await res.json()) as { accepted: number }).accepted, 1);
  const events = (await (await fetch(`${agent.collector.url}/v1/events?since=0`)).json()) as { events: { record: { message?: string } }[] };
  assert.ok(
    events.events.some((e) => e.record.message === '[FIRING] Multi: line one\\nline\\ttwo'),
    JSON.stringify(events.events.map((e) => e.record.message)),
  );
});

test('the flight recorder archives what the collector accepts and reports on /v1/recorder', async () => {
  const status = (await (await fetch(`${agent.collector.url}/v1/recorder`)).json()) as { enabled: boolean; archived: number };
  assert.equal(status.enabled, true);
  assert.ok(status.archived >= 2, `archived ${status.archived}`);
});

test('bad harmonix and recorder sections are configuration errors naming the key', async () => {
  const bad = (extra: Record<string, unknown>) =>
    buildConfig([{ listen: '127.0.0.1:0', sources: { os: { enabled: false }, hardware: { enabled: false } } }, extra], builtinSources);
  await assert.rejects(
    startAgent(bad({ harmonix: { hooks: [{ url: 'ftp://x' }] } }), silentLogger()),
    (e: unknown) => e instanceof ConfigError && e.key.startsWith('harmonix.hooks'),
  );
  await assert.rejects(
    startAgent(bad({ recorder: { retention: 'forever' } }), silentLogger()),
    (e: unknown) => e instanceof ConfigError && e.key.startsWith('recorder'),
  );
});
