// Admission and slow-client limits through the real surface: auth before the body, Host/Origin rules for the
// tokenless loopback surface (DNS rebinding), header/body/idle timeouts, and invalid UTF-8 rejected by field.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import type { Collector } from '../../src/app.js';
import { buildConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { builtinSources } from '../../src/sources/index.js';
import { testCollector } from '../support/collector.js';

const TOKEN = 'admission-token-0123456789';
let open: Collector; // tokenless, loopback only
let locked: Collector; // with a token
const FAST = { headerTimeout: '300ms', requestTimeout: '600ms', idleTimeout: '1s', allowedHosts: ['mc.internal'] };
before(async () => {
  open = await testCollector({ http: FAST });
  locked = await testCollector({ token: TOKEN, http: FAST, ingest: { maxBodyBytes: 2048, maxBatch: 10 } });
});
after(async () => {
  await open.stop();
  await locked.stop();
});

const portOf = (c: Collector) => Number(new URL(c.url).port);
const NOW = Date.parse('2031-03-04T05:06:07Z');
let seq = 0;
const node = (id: string, name = id) => ({
  v: 1,
  type: 'node.joined',
  time: new Date(NOW).toISOString(),
  emitter: 'admission-test',
  seq: ++seq,
  node: { id, kind: 'mesh-node', layer: 'mesh', name },
});

/** A raw HTTP/1.1 request (node:http lets a test set Host and Origin, which fetch forbids). */
function send(c: Collector, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: portOf(c), method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const json = { 'content-type': 'application/json' };
const nodeIds = async (c: Collector) => ((await (await fetch(`${c.url}/v1/topology`)).json()) as { nodes: { id: string }[] }).nodes.map((n) => n.id);

/** Resolves with what the server wrote once it closes a connection that sent `prefix` and then stalled. */
function stall(c: Collector, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(c), '127.0.0.1', () => socket.write(prefix));
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    // A liveness bound, not a timing assertion: without server-side limits the socket would stay open forever.
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a stalled connection open'));
    }, 20_000).unref();
  });
}

test('with a token, the token is checked before the body: wrong type or oversized bodies without it get 401', async () => {
  const plain = await send(locked, 'POST', '/v1/events', { 'content-type': 'text/plain' }, 'x');
  assert.equal(plain.status, 401);
  const big = await send(locked, 'POST', '/v1/events', json, JSON.stringify([{ pad: 'x'.repeat(10_000) }]));
  assert.equal(big.status, 401);
  assert.equal(JSON.parse(big.body).errors[0].field, 'Authorization');
  const alerts = await send(locked, 'POST', '/v1/alerts', { 'content-type': 'text/plain' }, 'x');
  assert.equal(alerts.status, 401);
  // With the token the same bodies reach parsing.
  assert.equal((await send(locked, 'POST', '/v1/events', { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` }, 'x')).status, 415);
});

test('tokenless surface: a foreign Host is refused on every route (DNS rebinding), loopback and allowed names are served', async () => {
  for (const [method, path] of [
    ['GET', '/status'],
    ['GET', '/v1/events'],
    ['POST', '/v1/events'],
    ['POST', '/v1/alerts'],
  ] as const) {
    const res = await send(
      open,
      method,
      path,
      { ...json, host: `evil.example:${portOf(open)}` },
      method === 'POST' ? JSON.stringify([node('mesh:rebind')]) : undefined,
    );
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(JSON.parse(res.body).errors[0].field, 'Host');
  }
  assert.ok(!(await nodeIds(open)).includes('mesh:rebind'));
  for (const host of [`localhost:${portOf(open)}`, `127.0.0.1:${portOf(open)}`, `[::1]:${portOf(open)}`, `MC.internal:${portOf(open)}`]) {
    assert.equal((await send(open, 'GET', '/status', { host })).status, 200, host);
  }
});

test('tokenless surface: the loopback address it listens on is an allowed Host', async (t) => {
  const other = await testCollector({ listen: '127.0.0.2:0' });
  t.after(() => other.stop());
  const res = await fetch(`${other.url}/status`);
  assert.equal(res.status, 200);
});

test('tokenless surface: cross-origin POSTs are refused, same-machine origins accepted', async () => {
  const evil = await send(open, 'POST', '/v1/events', { ...json, origin: 'https://evil.example' }, JSON.stringify([node('mesh:xorigin')]));
  assert.equal(evil.status, 403);
  assert.equal(JSON.parse(evil.body).errors[0].field, 'Origin');
  assert.equal((await send(open, 'POST', '/v1/events', { ...json, origin: 'null' }, JSON.stringify([node('mesh:nullorigin')]))).status, 403);
  assert.ok(!(await nodeIds(open)).some((id) => id === 'mesh:xorigin' || id === 'mesh:nullorigin'));
  const local = await send(open, 'POST', '/v1/events', { ...json, origin: `http://localhost:${portOf(open)}` }, JSON.stringify([node('mesh:sameorigin')]));
  assert.equal(local.status, 202);
  assert.ok((await nodeIds(open)).includes('mesh:sameorigin'));
});

test('slow clients: stalled headers, a stalled body and an idle connection are closed; the surface keeps serving', async () => {
  const headers = await stall(open, 'GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  assert.ok(headers === '' || headers.startsWith('HTTP/1.1 408'), headers);
  const body = await stall(open, 'POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{"v":1');
  assert.ok(body === '' || body.startsWith('HTTP/1.1 408'), body);
  const idle = await stall(open, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  assert.match(idle, /^HTTP\/1.1 200/);
  assert.equal((await fetch(`${open.url}/healthz`)).status, 200);
});

test('invalid UTF-8 is rejected with 400 naming the field; nothing is applied', async () => {
  const good = Buffer.from(JSON.stringify([node('mesh:utf-ok'), node('mesh:utf8', 'AAAA')]));
  const at = good.indexOf('AAAA');
  const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0x41, 0xff, 0xfe, 0x41]), good.subarray(at + 4)]);
  const res = await send(open, 'POST', '/v1/events', json, bad);
  assert.equal(res.status, 400);
  assert.deepEqual(JSON.parse(res.body).errors[0], { index: 1, field: '/node/name', expected: 'valid UTF-8 text (the body holds invalid UTF-8 bytes)' });
  assert.ok(!(await nodeIds(open)).includes('mesh:utf-ok'));

  const line = Buffer.from(`${JSON.stringify(node('mesh:nd-ok'))}\n{"v":1,"id":"`);
  const nd = await send(
    open,
    'POST',
    '/v1/events',
    { 'content-type': 'application/x-ndjson' },
    Buffer.concat([line, Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
  );
  assert.equal(nd.status, 400);
  assert.deepEqual(JSON.parse(nd.body).errors[0].index, 1);
  assert.deepEqual(JSON.parse(nd.body).errors[0].field, '/id');
  // Valid multi-byte text still passes.
  assert.equal((await send(open, 'POST', '/v1/events', json, Buffer.from(JSON.stringify([node('mesh:utf-multi', 'узел 東京 🚀')])))).status, 202);
});

test('a header timeout longer than the request timeout is a configuration error naming the key', () => {
  assert.throws(
    () => buildConfig([{ http: { headerTimeout: '1m', requestTimeout: '10s' } }], builtinSources),
    (e: unknown) => e instanceof ConfigError && e.key === 'http.headerTimeout',
  );
});
