// The surface's own HTTP behaviour on node:http: unknown paths and methods, HEAD, a failing route, bodies cut at the
// byte limit while streaming, and a client that goes away mid-body — the server answers each and keeps serving.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../src/core/logger.js';
import { createSurface, type Surface } from '../../src/http/server.js';
import { ok } from '../../src/http/routes.js';

let surface: Surface;
let base: string;
const ingested: number[] = [];
before(async () => {
  surface = createSurface(
    {
      logger: silentLogger(),
      maxBodyBytes: 1024,
      maxBatch: 10,
      status: () => ({ up: true }),
      healthy: () => true,
      topology: () => ({}),
      recent: () => ({ cursor: 0, events: [] }),
      ingest: (records) => (ingested.push(records.length), records.length),
      serveMetrics: (_req, res) => res.end('# metrics\n'),
      timeouts: { headersMs: 10_000, requestMs: 30_000, idleMs: 60_000 },
      allowedHosts: [],
    },
    [
      (routes) => {
        routes.get('/boom', () => {
          throw new Error('route bug');
        });
        routes.get('/later', async () => ok({ later: true }));
      },
    ],
  );
  const { port } = await surface.listen('127.0.0.1', 0);
  base = `http://127.0.0.1:${port}`;
});
after(() => surface.close());

test('an unknown path is 404 naming the paths served; a known path with another method is 405 with Allow', async () => {
  const missing = await fetch(`${base}/nope`);
  assert.equal(missing.status, 404);
  const body = (await missing.json()) as { errors: { field: string; expected: string }[] };
  assert.equal(body.errors[0]!.field, 'path');
  assert.match(body.errors[0]!.expected, /\/v1\/events/);
  const wrong = await fetch(`${base}/status`, { method: 'DELETE' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  const getOnly = await fetch(`${base}/v1/events`, { method: 'PUT', body: '[]' });
  assert.equal(getOnly.headers.get('allow'), 'GET, HEAD, POST');
});

test('HEAD answers a GET route with its headers and no body; the query string does not change the route', async () => {
  const head = await fetch(`${base}/status`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(await head.text(), '');
  assert.deepEqual(await (await fetch(`${base}/status?x=1`)).json(), { up: true });
  assert.deepEqual(await (await fetch(`${base}/later`)).json(), { later: true });
  assert.equal(await (await fetch(`${base}/metrics`)).text(), '# metrics\n');
});

test('a route that throws is a 500 without its message, and the next request is served', async () => {
  const res = await fetch(`${base}/boom`);
  assert.equal(res.status, 500);
  assert.doesNotMatch(await res.text(), /route bug/);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('GET /v1/events checks its cursor and limit by name', async () => {
  const bad = await fetch(`${base}/v1/events?since=-1`);
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field, 'since');
  const limit = await fetch(`${base}/v1/events?limit=10001`);
  assert.equal(((await limit.json()) as { errors: { field: string }[] }).errors[0]!.field, 'limit');
  assert.equal((await fetch(`${base}/v1/events?since=3&limit=5`)).status, 200);
});

/** A chunked POST (no Content-Length, so the limit is found while reading); resolves with the status, or 'gone'. */
function chunked(chunks: string[], end: boolean): Promise<number | 'gone'> {
  return new Promise((resolve) => {
    const req = request(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', () => resolve('gone'));
    for (const c of chunks) req.write(c);
    if (end) req.end();
    else setTimeout(() => req.destroy(), 50);
  });
}

test('a streamed body over the byte limit is 413; a client that leaves mid-body is dropped; nothing is applied', async () => {
  const before = ingested.length;
  assert.equal(await chunked(['[', ' '.repeat(800), ' '.repeat(800), ']'], true), 413);
  await chunked(['[{"v":1'], false);
  assert.equal(ingested.length, before);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('a POST without a body or content type reaches the route (and is a 400 there), one with another type is 415', async () => {
  const empty = await fetch(`${base}/v1/events`, { method: 'POST' });
  assert.equal(empty.status, 400);
  const text = await fetch(`${base}/v1/events`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
  assert.equal(text.status, 415);
});
