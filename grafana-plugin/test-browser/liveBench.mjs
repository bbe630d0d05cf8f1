// npm run bench:live — source event → canvas, through the stored-data path a Grafana user has: an event POSTed to
// hmx-collector (recorder on) → the real OpenTelemetry Collector → the fake Loki → the fake /api/ds/query → the
// built panel in headless Chromium, in live mode over stored data (its own poll every second). Each round a new node
// joins; the latency is from the POST to the panel's summary counting it. BENCH_LIVE_ROUNDS (default 30); between
// rounds a pause of 500–1500 ms from a seeded generator, so rounds fall at every phase of the poll and the batch
// (a fixed pause would lock onto the 1 s poll and measure one phase only).
import { loadavg } from 'node:os';
import { startServer } from './server.mjs';
import { launch, openPanel } from './browser.mjs';
import { forwardDsQuery, startFixture } from './storedBackends.mjs';

const ROUNDS = Number(process.env.BENCH_LIVE_ROUNDS ?? 30);
let seed = 20261203;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const load0 = loadavg()[0];
const fixture = await startFixture('liveFixture.mts');
const server = await startServer(0, forwardDsQuery(fixture.grafana));
const context = await launch();
let seq = 0;
const emitter = `bench-live/${process.pid}`;
const join = (i) =>
  fetch(`${fixture.collector}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        v: 1,
        type: 'node.joined',
        time: new Date().toISOString(),
        emitter,
        seq: ++seq,
        node: { id: `bench:node-${i}`, kind: 'vm', layer: 'mesh', name: `node-${i}` },
      },
    ]),
  }).then((r) => {
    if (r.status !== 202) {
      throw new Error(`the collector answered ${r.status}`);
    }
  });
const nodesShown = (page, n) =>
  page.waitForFunction(
    (want) => (document.querySelector('[data-testid="hmx-summary"]')?.textContent ?? '').startsWith(`${want} node`),
    n,
    { polling: 10, timeout: 30_000 }
  );

try {
  await join(0);
  const now = Date.now();
  const { page, errors } = await openPanel(
    context,
    server.url,
    `scenario=stored&live=1&from=${now - 15 * 60_000}&to=${now}`
  );
  // the collector's own host node and bench node 0; nothing else joins during the run
  await nodesShown(page, 2);
  const latencies = [];
  for (let i = 1; i <= ROUNDS; i++) {
    await sleep(500 + random() * 1000);
    const t0 = performance.now();
    await join(i);
    await nodesShown(page, i + 2);
    latencies.push(performance.now() - t0);
  }
  const queries = await page.evaluate(() => window.__hmx.dsQueries.length);
  console.log(
    `bench:live — node.joined POSTed to hmx-collector (recorder on) → otelcol (logs batch 200 ms) → fake Loki → panel live poll (1 s), ${ROUNDS} rounds`
  );
  console.log(
    `source event → canvas: p50 ${Math.round(pct(latencies, 0.5))} ms, p95 ${Math.round(pct(latencies, 0.95))} ms, max ${Math.round(Math.max(...latencies))} ms (target p95 ≤ 2000 ms)`
  );
  console.log(`panel queries over the run: ${queries}; page errors: ${errors.length}`);
  console.log(`load average: ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end (2-core machine)`);
} finally {
  await context.close();
  await server.close();
  await fixture.stop();
}
