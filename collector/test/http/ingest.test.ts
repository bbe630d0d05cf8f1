import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Collector } from '../../src/app.js';
import { testCollector } from '../support/collector.js';

let c: Collector;
const TOKEN = 'test-token-0123456789';
before(async () => {
  c = await testCollector({ token: TOKEN, ingest: { maxBodyBytes: 64 * 1024, maxBatch: 50 } });
});
after(() => c.stop());

const auth = { authorization: `Bearer ${TOKEN}` };
let seq = 0;
const node = (id: string, name = id) => ({
  v: 1,
  type: 'node.joined',
  time: new Date().toISOString(),
  emitter: 'ingest-test',
  seq: ++seq,
  node: { id, kind: 'mesh-node', layer: 'mesh', name },
});
const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${c.url}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...auth, ...headers } });
const topologyNodes = async () => ((await (await fetch(`${c.url}/v1/topology`)).json()) as { nodes: { id: string; name: string }[] }).nodes.map((n) => n.id);

test('a valid batch is accepted and applied', async () => {
  const res = await post(JSON.stringify([node('mesh:a'), node('mesh:b')]));
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), { accepted: 2, applied: 2 });
  assert.ok((await topologyNodes()).includes('mesh:b'));
});

test('one invalid event rejects the whole batch with index, field and expectation; nothing is applied', async () => {
  const bad = { ...node('mesh:bad'), node: { id: 'mesh:bad', kind: 'k', layer: 'jupiter', name: 'x' } };
  const res = await post(JSON.stringify([node('mesh:c'), bad, { type: 'nope' }]));
  assert.equal(res.status, 400);
  const body = (await res.json()) as { errors: { index: number; field: string; expected: string }[] };
  assert.ok(body.errors.some((e) => e.index === 1 && e.field === '/node/layer' && e.expected.includes('mesh')));
  assert.ok(body.errors.some((e) => e.index === 2 && e.field === '/type'));
  assert.ok(!(await topologyNodes()).includes('mesh:c'), 'the valid event of the rejected batch was not applied');
});

test('NDJSON bodies, with line-level errors', async () => {
  const ok = await post(`${JSON.stringify(node('mesh:nd1'))}\n\n${JSON.stringify(node('mesh:nd2'))}\n`, { 'content-type': 'application/x-ndjson' });
  assert.equal(ok.status, 202);
  const bad = await post(`${JSON.stringify(node('mesh:nd3'))}\n{not json\n`, { 'content-type': 'application/x-ndjson' });
  assert.equal(bad.status, 400);
  const body = (await bad.json()) as { errors: { index: number; expected: string }[] };
  assert.equal(body.errors[0]!.index, 1);
  assert.match(body.errors[0]!.expected, /line 2/);
  // Media types are case-insensitive (RFC 9110 §8.3.1): an upper-case NDJSON type is still NDJSON, not a JSON body.
  const upper = await post(`${JSON.stringify(node('mesh:nd4'))}\n${JSON.stringify(node('mesh:nd5'))}\n`, {
    'content-type': 'Application/X-NDJSON; charset=UTF-8',
  });
  assert.equal(upper.status, 202, await upper.clone().text());
  assert.deepEqual(await upper.json(), { accepted: 2, applied: 2 });
});

test('auth: no token or a wrong token gets 401 and nothing is applied', async () => {
  const none = await fetch(`${c.url}/v1/events`, { method: 'POST', body: JSON.stringify([node('mesh:x1')]), headers: { 'content-type': 'application/json' } });
  assert.equal(none.status, 401);
  const wrong = await post(JSON.stringify([node('mesh:x2')]), { authorization: 'Bearer nope' });
  assert.equal(wrong.status, 401);
  assert.ok(!(await topologyNodes()).some((id) => id.startsWith('mesh:x')));
});

test('limits: too many events or too many bytes get 413', async () => {
  const many = Array.from({ length: 51 }, (_, i) => node(`mesh:many${i}`));
  const res = await post(JSON.stringify(many));
  assert.equal(res.status, 413);
  assert.match(((await res.json()) as { errors: { expected: string }[] }).errors[0]!.expected, /at most 50 events/);
  const huge = await post(JSON.stringify([{ ...node('mesh:huge'), padding: 'x'.repeat(70 * 1024) }]));
  assert.equal(huge.status, 413);
});

test('malformed, deeply nested and wrongly typed bodies get 400/415, and the server keeps serving', async () => {
  assert.equal((await post('{"unterminated": ')).status, 400);
  assert.equal((await post('['.repeat(20000) + ']'.repeat(20000))).status, 400);
  assert.equal((await post('"just a string"')).status, 400);
  assert.equal((await post('null')).status, 400);
  assert.equal((await post('x', { 'content-type': 'text/plain' })).status, 415);
  assert.equal((await fetch(`${c.url}/healthz`)).status, 200);
});

test('unicode is kept as text; control characters are rejected', async () => {
  const res = await post(JSON.stringify([node('mesh:uni', 'узел 東京 🚀 <script>alert(1)</script>')]));
  assert.equal(res.status, 202);
  const t = (await (await fetch(`${c.url}/v1/topology`)).json()) as { nodes: { id: string; name: string }[] };
  assert.equal(t.nodes.find((n) => n.id === 'mesh:uni')?.name, 'узел 東京 🚀 <script>alert(1)</script>');
  const ctl = await post(JSON.stringify([node('mesh:ctl', 'bell\u0007')]));
  assert.equal(ctl.status, 400);
});

test('GET /v1/events pages through accepted records by cursor', async () => {
  const all = (await (await fetch(`${c.url}/v1/events?since=0&limit=10000`)).json()) as {
    cursor: number;
    events: { cursor: number; record: { type: string } }[];
  };
  assert.ok(all.events.length >= 2);
  assert.equal(all.events.at(-1)!.cursor, all.cursor);
  const tail = (await (await fetch(`${c.url}/v1/events?since=${all.cursor - 1}`)).json()) as { events: unknown[] };
  assert.equal(tail.events.length, 1);
  assert.equal((await fetch(`${c.url}/v1/events?since=-3`)).status, 400);
});

test('status, healthz, metrics and docs', async () => {
  const status = (await (await fetch(`${c.url}/status`)).json()) as Record<string, unknown>;
  for (const key of ['server_time_utc', 'version', 'uptime_seconds', 'sources']) assert.ok(key in status, key);
  const metrics = await (await fetch(`${c.url}/metrics`)).text();
  assert.match(metrics, /hmx_node_up\{[^}]*hmx_node_id="mesh:a"[^}]*\} 1/);
  const docs = (await (await fetch(`${c.url}/docs`)).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(docs.openapi, '3.1.0');
  assert.ok('/v1/events' in docs.paths);
});
