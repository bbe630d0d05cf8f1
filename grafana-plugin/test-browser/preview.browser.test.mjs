// The npm start preview: host page fed from a collector's /v1/topology and /v1/events through the
// preview server's read-only proxy. A protocol-faithful fake collector stands in for the real one.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startPreview } from './serve.mjs';
import { ARTIFACTS, launch } from './browser.mjs';

let fake;
let preview;
let context;
const now = () => new Date().toISOString();

before(async () => {
  fake = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/v1/topology') {
      res.end(
        JSON.stringify({
          v: 1,
          time: now(),
          cursor: 2,
          nodes: [
            { id: 'mesh:n1', kind: 'mesh-node', layer: 'mesh', name: 'n1', state: 'up', since: now() },
            { id: 'mesh:n2', kind: 'mesh-node', layer: 'mesh', name: 'n2', state: 'failed', since: now() },
          ],
          actors: [
            { id: 'mesh:n1/router', kind: 'router', layer: 'mesh', name: 'router', node: 'mesh:n1', state: 'running', restarts: 0, since: now() },
            { id: 'mesh:n2/worker', kind: 'worker', layer: 'mesh', name: 'worker', node: 'mesh:n2', state: 'running', restarts: 1, since: now() },
          ],
          flows: [{ from: 'mesh:n1/router', to: 'mesh:n2/worker', messages: 10, bytes: 100, messagesPerSec: 4 }],
          anomalies: {},
        })
      );
    } else if (url.pathname === '/v1/events') {
      const since = Number(url.searchParams.get('since') ?? 0);
      const events = [
        { cursor: 1, record: { v: 1, type: 'node.joined', time: now(), emitter: 'fake', seq: 1, node: { id: 'mesh:n1', kind: 'mesh-node', layer: 'mesh', name: 'n1' } } },
        { cursor: 2, record: { v: 1, type: 'flow', time: now(), emitter: 'fake', seq: 2, from: 'mesh:n1/router', to: 'mesh:n2/worker', messages: 3, bytes: 30 } },
      ].filter((e) => e.cursor > since);
      res.end(JSON.stringify({ cursor: 2, events }));
    } else {
      res.writeHead(404).end('{}');
    }
  });
  await new Promise((r) => fake.listen(0, '127.0.0.1', r));
  preview = await startPreview(`http://127.0.0.1:${fake.address().port}`);
  context = await launch();
});

after(async () => {
  await context?.close();
  await preview?.close();
  await new Promise((r) => fake?.close(r));
});

it('npm start preview draws the live topology of a collector', async () => {
  const page = await context.newPage();
  await page.goto(`${preview.url}/?scenario=live`);
  await page.waitForFunction(() => document.querySelector('[data-testid="hmx-summary"]')?.textContent?.startsWith('2 nodes · 2 actors · 1 edges'), null, { timeout: 60_000 });
  assert.match(await page.locator('[data-testid="host-status"]').textContent(), /2 nodes, 2 actors, 1 flows/);
  assert.equal(await page.locator('[data-testid="hmx-problems"]').count(), 0, 'flow samples in the event stream are not malformed');
  assert.equal(await page.getByRole('button', { name: 'Live' }).getAttribute('aria-pressed'), 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'preview-fake-collector.png') });
  await page.close();
});
