// npm run bench:recorder — flight recorder figures for a simulated 50-node / 2,000-actor cluster:
// archive bytes per hour, replay throughput (events/s over OTLP/HTTP to a local receiver), verify throughput (MB/s).
//
// Event mix per simulated hour (override with BENCH_* env):
//   start-up: 50 node.joined + 2,000 actor.spawned (first hour only)
//   lifecycle churn: 120 actor.restarted, 60 actor.exited + 60 actor.spawned, 2 node.failed + 2 node.recovered, 60 audit
//   flows: BENCH_EDGES active edges (default 1,000: each actor talks to one peer half of the time), one delta sample
//          per edge every BENCH_FLOW_INTERVAL_S seconds (default 15 s): each node's SDK flushes its edges' deltas at
//          once, stamped with the flush time (nodes at spread-out phases) → 240,000 samples/h;
//          messages per sample uniform 1–60, 200–1,000 bytes per message (random: no help for the compressor)
//   keyframes: every 10 min (the collector default), each with 50 nodes, 2,000 actors and every edge
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ActorRef, NodeRef } from '@harmonix/contract';
import { silentLogger } from '../src/core/logger.js';
import { Archive } from '../src/recorder/archive.js';
import type { ArchivedRecord, Compression } from '../src/recorder/bundle.js';
import { createLogBatchSender } from '../src/recorder/otlp-logs.js';
import { replayArchive } from '../src/recorder/replay.js';
import { verifyArchive } from '../src/recorder/verify.js';

const NODES = Number(process.env.BENCH_NODES ?? 50);
const ACTORS = Number(process.env.BENCH_ACTORS ?? 2000);
const EDGES = Number(process.env.BENCH_EDGES ?? 1000);
const FLOW_INTERVAL_S = Number(process.env.BENCH_FLOW_INTERVAL_S ?? 15);
const HOURS = Number(process.env.BENCH_HOURS ?? 2);
const COMPRESSION = (process.env.BENCH_COMPRESSION ?? 'brotli') as Compression;
const START = Date.parse('2026-11-20T00:00:00Z');

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function* workload(hours: number): Generator<[number, ArchivedRecord]> {
  const rnd = lcg(42);
  const nodes: NodeRef[] = Array.from({ length: NODES }, (_, i) => ({ id: `mesh:node-${i}`, kind: 'vm', layer: 'mesh', name: `node-${i}` }));
  const actors: ActorRef[] = Array.from({ length: ACTORS }, (_, i) => ({
    id: `mesh:node-${i % NODES}/actor-${i}`,
    kind: i % 40 === 0 ? 'router' : 'worker',
    layer: 'mesh',
    name: `actor-${i}`,
    node: `mesh:node-${i % NODES}`,
  }));
  const edges = Array.from({ length: EDGES }, (_, i) => ({ from: actors[i % ACTORS]!, to: actors[Math.floor(rnd() * ACTORS)]!, messages: 0, bytes: 0 }));
  const seqs = new Map<string, number>();
  const emitterOf = (nodeId: string) => `${nodeId.slice(5)}/4242-1763596800000`;
  const env = (emitter: string, t: number) => {
    const seq = (seqs.get(emitter) ?? 0) + 1;
    seqs.set(emitter, seq);
    return { v: 1 as const, time: new Date(t).toISOString(), emitter, seq };
  };
  const restarts = new Map<string, number>();
  for (const node of nodes) yield [START, { ...env('supervisor/1-1763596800000', START), type: 'node.joined', node }];
  for (const actor of actors) yield [START, { ...env(emitterOf(actor.node), START), type: 'actor.spawned', actor }];
  const end = START + hours * 3_600_000;
  const tickMs = 1000;
  let keyframeSeq = 0;
  for (let t = START; t < end; t += tickMs) {
    const second = (t - START) / 1000;
    // Flow samples: each node's SDK flushes every FLOW_INTERVAL_S seconds (nodes at spread-out phases) and emits
    // one delta sample per edge it sends on, all stamped with the flush time.
    for (let n = second % FLOW_INTERVAL_S; n < NODES; n += FLOW_INTERVAL_S) {
      const flushAt = t + Math.floor(rnd() * 1000);
      for (let e = n; e < EDGES; e += NODES) {
        const edge = edges[e]!;
        const messages = 1 + Math.floor(rnd() * 60);
        const bytes = messages * (200 + Math.floor(rnd() * 800));
        edge.messages += messages;
        edge.bytes += bytes;
        yield [t, { ...env(emitterOf(edge.from.node), flushAt), type: 'flow', from: edge.from.id, to: edge.to.id, messages, bytes }];
      }
    }
    const pick = () => actors[Math.floor(rnd() * ACTORS)]!;
    if (second % 30 === 0) {
      const actor = pick();
      const count = (restarts.get(actor.id) ?? 0) + 1;
      restarts.set(actor.id, count);
      yield [t, { ...env(emitterOf(actor.node), t), type: 'actor.restarted', actor, restartCount: count, reason: 'OOMKilled' }];
    }
    if (second % 60 === 15) {
      const actor = pick();
      yield [t, { ...env(emitterOf(actor.node), t), type: 'actor.exited', actor, reason: 'completed', exitCode: 0 }];
      yield [t + 500, { ...env(emitterOf(actor.node), t + 500), type: 'actor.spawned', actor }];
      yield [t, { ...env('harmonix@host', t), type: 'audit', subject: actor.node, message: `dissonance check passed for ${actor.id}`, severity: 'info' }];
    }
    if (second % 1800 === 900) {
      const node = nodes[Math.floor(rnd() * NODES)]!;
      yield [t, { ...env('supervisor/1-1763596800000', t), type: 'node.failed', node, reason: 'heartbeat lost' }];
      yield [t + 5000, { ...env('supervisor/1-1763596800000', t + 5000), type: 'node.recovered', node }];
    }
    if (second % 600 === 599) {
      yield [
        t,
        {
          v: 1,
          type: 'keyframe',
          time: new Date(t).toISOString(),
          emitter: 'collector@bench/1-1763596800000',
          seq: ++keyframeSeq,
          nodes: nodes.map((n) => ({ ...n, state: 'up' as const })),
          actors: actors.map((a) => ({ ...a, state: 'running' as const, restarts: restarts.get(a.id) ?? 0 })),
          flows: edges.map((e) => ({ from: e.from.id, to: e.to.id, messages: e.messages, bytes: e.bytes })),
          emitters: Object.fromEntries(seqs),
        },
      ];
    }
  }
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'hmx-bench-recorder-'));
  const dir = join(root, 'archive');
  let clock = START;
  const archive = new Archive({
    dir,
    compression: COMPRESSION,
    bundleIntervalMs: 300_000,
    bundleMaxRecords: 100_000,
    retentionMs: 30 * 86_400_000,
    maxBytes: 10 * 1024 ** 3,
    logger: silentLogger(),
    now: () => clock,
  });
  const counts = { lifecycle: 0, flow: 0, keyframe: 0 };
  let rawBytes = 0;
  let lastCut = START;
  const firstHourEnd = START + 3_600_000;
  let firstHourBytes = 0;
  const t0 = performance.now();
  for (const [t, record] of workload(HOURS)) {
    clock = t;
    if (t - lastCut >= 300_000) {
      await archive.cut();
      lastCut = t;
      if (t >= firstHourEnd && firstHourBytes === 0) firstHourBytes = archive.bundles.reduce((s, b) => s + b.bytes, 0);
    }
    archive.append(record);
    rawBytes += JSON.stringify(record).length + 1;
    counts[record.type === 'flow' ? 'flow' : record.type === 'keyframe' ? 'keyframe' : 'lifecycle']++;
  }
  await archive.close();
  const archiveSeconds = (performance.now() - t0) / 1000;
  const total = archive.bundles.reduce((s, b) => s + b.bytes, 0);
  if (firstHourBytes === 0) firstHourBytes = total; // a 1 h run: everything is the first hour
  const records = counts.lifecycle + counts.flow + counts.keyframe;
  const steadyPerHour = HOURS > 1 ? (total - firstHourBytes) / (HOURS - 1) : total;

  // Replay: the whole archive over OTLP/HTTP (JSON) to a local receiver that acknowledges every request.
  let received = 0;
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const sender = createLogBatchSender(resourceFromAttributes({ 'service.name': 'bench' }), { endpoint: `http://127.0.0.1:${port}` });
  const r0 = performance.now();
  const replayed = await replayArchive({
    dir,
    fromMs: 0,
    toMs: Number.MAX_SAFE_INTEGER,
    mode: { kind: 'backfill' },
    skipCorrupt: false,
    batchSize: 1000,
    send: (rs) => sender.send(rs),
  });
  const replaySeconds = (performance.now() - r0) / 1000;
  await sender.shutdown();
  server.close();

  const v0 = performance.now();
  const report = verifyArchive(dir);
  const verifySeconds = (performance.now() - v0) / 1000;
  rmSync(root, { recursive: true, force: true });

  const mb = (b: number) => (b / 1e6).toFixed(2);
  const lines = [
    `flight recorder bench: ${NODES} nodes, ${ACTORS} actors, ${EDGES} flow edges sampled every ${FLOW_INTERVAL_S} s, ${HOURS} simulated h, ${COMPRESSION}`,
    `  records            ${records} (${counts.lifecycle} lifecycle, ${counts.flow} flow, ${counts.keyframe} keyframes), ${mb(rawBytes)} MB as JSON`,
    `  archive            ${mb(total)} MB in ${archive.bundles.length} bundles (ratio ${(rawBytes / total).toFixed(1)}x), ${(total / counts.flow).toFixed(1)} B per record avg`,
    `  bytes/hour         ${mb(steadyPerHour)} MB/h steady state (first hour incl. start-up: ${mb(firstHourBytes)} MB) — target ≤ 2 MB/h`,
    `  archive throughput ${Math.round(records / archiveSeconds)} records/s (append + journal + compression)`,
    `  replay             ${replayed.records} records in ${replaySeconds.toFixed(1)} s = ${Math.round(replayed.records / replaySeconds)} events/s (${received} OTLP requests)`,
    `  verify             ${mb(report.bytes)} MB in ${verifySeconds.toFixed(2)} s = ${(report.bytes / 1e6 / verifySeconds).toFixed(1)} MB/s compressed (${Math.round(report.records / verifySeconds)} records/s), ${report.ok ? 'clean' : 'PROBLEMS'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
