// npm run bench:events — lifecycle events/s through HTTP ingest → validation → topology state → OTLP log export,
// and latency from an event's arrival at the collector to its arrival at an OTLP/HTTP receiver (p50/p99).
import { createServer, type IncomingMessage } from 'node:http';
import { startCollector } from '../src/app.js';
import { buildConfig } from '../src/config/load.js';
import { silentLogger } from '../src/core/logger.js';
import { builtinSources } from '../src/sources/index.js';
import { percentile } from './proc-stats.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = 1000;
const ACTORS = 2000;

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

async function main() {
  // A minimal OTLP/HTTP receiver: records when each event (by seq) leaves the collector.
  const exportedAt = new Map<number, number>();
  const receiver = createServer(async (req, res) => {
    const text = await body(req);
    const now = performance.now();
    if (req.url === '/v1/logs') {
      for (const m of text.matchAll(/\\"seq\\":(\d+)/g)) exportedAt.set(Number(m[1]), now);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const otlp = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  const config = buildConfig([{ listen: '127.0.0.1:0', otlp: { endpoint: otlp, metricInterval: '60s' }, sources: { os: { enabled: false }, hardware: { enabled: false } } }], builtinSources);
  const collector = await startCollector(config, { logger: silentLogger() });

  const emitter = 'bench/1';
  let seq = 0;
  const time = new Date().toISOString();
  const nodeRecords = Array.from({ length: 50 }, (_, i) => ({ v: 1, type: 'node.joined', time, emitter, seq: ++seq, node: { id: `mesh:n${i}`, kind: 'mesh-node', layer: 'mesh', name: `n${i}` } }));
  await fetch(`${collector.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(nodeRecords) });
  const firstSeq = seq + 1;
  // Actors alternate spawned/exited, so the state stays at 2,000 actors and every event is a real transition.
  const batches: string[] = [];
  for (let b = 0; b < TOTAL / BATCH; b++) {
    const lines: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i;
      const a = n % ACTORS;
      const actor = { id: `mesh:n${a % 50}/a${a}`, kind: 'worker', layer: 'mesh', name: `a${a}`, node: `mesh:n${a % 50}` };
      lines.push(JSON.stringify({ v: 1, type: Math.floor(n / ACTORS) % 2 === 0 ? 'actor.spawned' : 'actor.exited', time, emitter, seq: ++seq, actor }));
    }
    batches.push(lines.join('\n'));
  }
  const arrivedAt = new Map<number, number>();
  const started = performance.now();
  for (const [b, batch] of batches.entries()) {
    const t = performance.now();
    for (let i = 0; i < BATCH; i++) arrivedAt.set(firstSeq + b * BATCH + i, t);
    const res = await fetch(`${collector.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: batch });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  }
  const ingested = performance.now() - started;
  await collector.telemetry.flush();
  const exported = () => [...exportedAt.keys()].filter((s) => s >= firstSeq).length;
  for (let i = 0; i < 100 && exported() < TOTAL; i++) await new Promise((r) => setTimeout(r, 100));
  const latencies = [...arrivedAt].filter(([s]) => exportedAt.has(s)).map(([s, t]) => exportedAt.get(s)! - t).sort((a, b) => a - b);
  const cpu = process.cpuUsage();
  console.log(`events: ${TOTAL} lifecycle events in NDJSON batches of ${BATCH}, ${ACTORS} actors on 50 nodes`);
  console.log(`ingest → validation → state: ${(TOTAL / (ingested / 1000)).toFixed(0)} events/s (wall ${ingested.toFixed(0)} ms; target ≥ 100,000/s)`);
  console.log(`exported over OTLP: ${exported()} of ${TOTAL} (dropped by the SDK queue: ${TOTAL - exported()})`);
  console.log(`arrival → OTLP export latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (target p99 ≤ 100 ms)`);
  console.log(`process CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (one Node thread: collector and load generator share it)`);
  await collector.stop();
  receiver.close();
}

await main();
