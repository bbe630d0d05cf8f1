// npm run bench:events — lifecycle events through a real hmx-collector process: HTTP ingest → validation → topology
// state → OTLP log export, with the flight recorder off (direct export) and on (the default: durable shipping from
// the archive), side by side with the peer: the OpenTelemetry Collector built from otel-config/ relaying the same
// events as OTLP/HTTP JSON logs (batch 100 ms / 4096 → otlphttp JSON, GOMAXPROCS=1). Each runs as its own process;
// the load generator and the OTLP/HTTP receiver run here, so their CPU is their own. Per path, alternating rounds:
//   paced     RATE events/s for SECONDS: arrival → OTLP export latency p50/p99 (arrival = the request is sent)
//   flat out  TOTAL events, one request in flight per emitter (BENCH_IN_FLIGHT emitters at once, default 1):
//             end-to-end events/s (until the last one is exported) and
//             the collector's CPU seconds per 100k events
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { otelcolBinary } from '../../test/support/binaries.js';
import { lifecycleLine } from '../src/export/lifecycle-logs.js';
import { encodeLogsRequest, encodeResource } from '../src/export/otlp-json-logs.js';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ContractRecord } from '@harmonix/contract';
import { cpuSeconds, FLAG_SETS, percentile, SHIPPED_MAIN } from './proc-stats.js';

const RATE = Number(process.env.BENCH_RATE ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TOTAL = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** BENCH_PROFILE=<dir>: the collector writes a V8 CPU profile per round there (open in Chrome DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE;
const BATCH = 1000;
/** Emitters posting at once in the flat-out phase, each with one request in flight (a cluster's many runtimes). */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 1);
if (!Number.isInteger(IN_FLIGHT) || IN_FLIGHT < 1 || TOTAL % (IN_FLIGHT * BATCH) !== 0 || TOTAL / IN_FLIGHT >= 900_000) {
  throw new Error(`BENCH_IN_FLIGHT: a whole number of emitters that splits BENCH_EVENTS (${TOTAL}) into batches of ${BATCH}, under 900,000 each`);
}
const ACTORS = 2000;
const NODES = 50;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

/** An OTLP/HTTP receiver: when each lifecycle record (by its seq, inside the body: escaped in a JSON request, as is in
 * a protobuf one) left the collector. */
class Receiver {
  private constructor(
    readonly url: string,
    readonly exportedAt: Map<number, number>,
    private readonly close_: () => void,
  ) {}
  static async start(): Promise<Receiver> {
    const exportedAt = new Map<number, number>();
    const server = createServer(async (req, res) => {
      const text = await body(req);
      const now = performance.now();
      if (req.url === '/v1/logs') for (const m of text.matchAll(/\\?"seq\\?":(\d+)/g)) exportedAt.set(Number(m[1]), now);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new Receiver(`http://127.0.0.1:${(server.address() as { port: number }).port}`, exportedAt, () => server.close());
  }
  close(): void {
    this.close_();
  }
}

interface Running {
  proc: ChildProcess;
  /** One batch of NDJSON contract lines as this process takes it in (done before the clock runs). */
  encode(ndjson: string): string;
  post(body: string): Promise<void>;
  /** Sends the node records that precede a phase (the relay has no state: nothing to do). */
  prelude(json: string): Promise<void>;
}
interface Path {
  name: string;
  start(otlp: string, dir: string): Promise<Running>;
}
const setLabel = (label: string) => (FLAG_SETS.length === 1 ? '' : `, ${label}`);
const ALL_PATHS: (Path & { key: string })[] = [
  ...FLAG_SETS.flatMap(({ label, flags }) => [
    { key: 'off', name: `hmx, recorder off (direct)${setLabel(label)}`, start: (otlp: string, dir: string) => startCollector(false, otlp, dir, flags) },
    { key: 'on', name: `hmx, recorder on (default)${setLabel(label)}`, start: (otlp: string, dir: string) => startCollector(true, otlp, dir, flags) },
    {
      key: 'off-json',
      name: `hmx, recorder off, JSON${setLabel(label)}`,
      start: (otlp: string, dir: string) => startCollector(false, otlp, dir, flags, 'http/json'),
    },
    {
      key: 'on-json',
      name: `hmx, recorder on, JSON${setLabel(label)}`,
      start: (otlp: string, dir: string) => startCollector(true, otlp, dir, flags, 'http/json'),
    },
  ]),
  { key: 'peer', name: 'otelcol relay (peer)', start: startRelay },
];
/** BENCH_PATHS=on,peer: run only those paths (off, on, off-json, on-json, peer; off/on export protobuf, the default); ratios need the peer. */
const PATHS = ALL_PATHS.filter((p) => (process.env.BENCH_PATHS ?? 'off,on,peer').split(',').includes(p.key));

async function waitHealthy(url: string, proc: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(50);
  }
  proc.kill('SIGKILL');
  throw new Error(`${what} did not come up`);
}

/** A collector process for one round: os/hardware sources off, metrics export rare, recorder as the path says. */
async function startCollector(recorder: boolean, otlp: string, dir: string, v8Flags: string[], logsProtocol = 'http/protobuf'): Promise<Running> {
  const port = await freePort();
  const config = join(dir, 'collector.yaml');
  writeFileSync(
    config,
    [
      `listen: 127.0.0.1:${port}`,
      `otlp: { endpoint: "${otlp}", metricInterval: 60s, logsProtocol: ${logsProtocol} }`,
      'sources: { os: { enabled: false }, hardware: { enabled: false } }',
      `recorder: { enabled: ${recorder}, dir: "${join(dir, 'archive')}" }`,
      '',
    ].join('\n'),
  );
  // Run as shipped: the bundle, with the launcher's V8 flags (or a set of BENCH_FLAG_SETS).
  const proc = spawn(
    process.execPath,
    [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), ...v8Flags, SHIPPED_MAIN, 'run', '--config', config],
    {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, HMX_LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: '' },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/healthz`, proc, 'the collector');
  return {
    proc,
    encode: (ndjson) => ndjson,
    post: (body) => post(`${url}/v1/events`, body, 'application/x-ndjson'),
    prelude: (json) => post(`${url}/v1/events`, json, 'application/json'),
  };
}

const relayResource = encodeResource(resourceFromAttributes({ 'service.name': 'bench-load' }));

/** The peer: otelcol receiving OTLP/HTTP JSON logs, batching (100 ms / 4096) and exporting OTLP/HTTP JSON. */
async function startRelay(otlp: string, dir: string): Promise<Running> {
  const [port, health] = [await freePort(), await freePort()];
  const config = join(dir, 'relay.yaml');
  writeFileSync(
    config,
    [
      `receivers: { otlp: { protocols: { http: { endpoint: "127.0.0.1:${port}" } } } }`,
      'processors: { batch: { timeout: 100ms, send_batch_size: 4096 } }',
      `exporters: { otlphttp: { endpoint: "${otlp}", encoding: json, compression: none } }`,
      `extensions: { health_check: { endpoint: "127.0.0.1:${health}" } }`,
      'service: { extensions: [health_check], telemetry: { metrics: { level: none } }, pipelines: { logs: { receivers: [otlp], processors: [batch], exporters: [otlphttp] } } }',
      '',
    ].join('\n'),
  );
  const proc = spawn(otelcolBinary(), [`--config=${config}`], { stdio: 'ignore', env: { ...process.env, GOMAXPROCS: '1' } });
  await waitHealthy(`http://127.0.0.1:${health}/`, proc, 'otelcol');
  return {
    proc,
    // The same records, as the OTLP log records the collector itself would export for them.
    encode: (ndjson) =>
      encodeLogsRequest(
        relayResource,
        ndjson.split('\n').map((l) => lifecycleLine(JSON.parse(l) as ContractRecord)),
      ),
    post: (body) => post(`http://127.0.0.1:${port}/v1/logs`, body, 'application/json'),
    prelude: async () => undefined,
  };
}

/** NDJSON batches of actor.spawned/actor.exited (alternating per actor, so every event is a real transition). */
function makeLoad(emitter: string, count: number, seqBase: number): { nodes: string; batches: string[]; firstSeq: number } {
  // seqBase keeps every phase's sequence numbers apart: the receiver knows a record by its seq alone.
  let seq = seqBase;
  const time = new Date().toISOString();
  // Entities of their own per phase, so each phase's first spawn is a real transition.
  const p = seqBase / 10_000_000;
  const nodes = JSON.stringify(
    Array.from({ length: NODES }, (_, i) => ({
      v: 1,
      type: 'node.joined',
      time,
      emitter,
      seq: ++seq,
      node: { id: `mesh:p${p}n${i}`, kind: 'mesh-node', layer: 'mesh', name: `n${i}` },
    })),
  );
  const firstSeq = seq + 1;
  const batches: string[] = [];
  for (let b = 0; b < count / BATCH; b++) {
    const lines: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i;
      const a = n % ACTORS;
      const actor = { id: `mesh:p${p}n${a % NODES}/a${a}`, kind: 'worker', layer: 'mesh', name: `a${a}`, node: `mesh:p${p}n${a % NODES}` };
      lines.push(JSON.stringify({ v: 1, type: Math.floor(n / ACTORS) % 2 === 0 ? 'actor.spawned' : 'actor.exited', time, emitter, seq: ++seq, actor }));
    }
    batches.push(lines.join('\n'));
  }
  return { nodes, batches, firstSeq };
}

async function post(url: string, text: string, type: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: text });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
}

async function waitExported(rx: Receiver, seqs: number[], timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const missing = seqs.filter((s) => !rx.exportedAt.has(s)).length;
    if (missing === 0 || performance.now() > deadline) return seqs.length - missing;
    await sleep(20);
  }
}

interface RoundResult {
  p50: number;
  p99: number;
  pacedLost: number;
  eventsPerSec: number;
  cpuPer100k: number;
  lost: number;
}

async function round(path: Path, rx: Receiver, n: number): Promise<RoundResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-bench-events-'));
  const target = await path.start(rx.url, dir);
  const { proc } = target;
  try {
    // Paced: RATE events/s in batches of RATE/100 due every 10 ms. Requests go one after another (order matters: an
    // exit must not overtake its spawn); a batch's arrival is the time it was due, so a collector that answers
    // late pays for the queue in its latency instead of slowing the schedule.
    const pacedBatch = Math.max(1, Math.round(RATE / 100));
    const paced = makeLoad(`bench-paced/${n}`, Math.ceil((RATE * SECONDS) / BATCH) * BATCH, 2 * n * 10_000_000);
    await target.prelude(paced.nodes);
    const lines = paced.batches
      .join('\n')
      .split('\n')
      .slice(0, RATE * SECONDS);
    const arrivedAt = new Map<number, number>();
    const bodies: string[] = [];
    for (let i = 0; i * pacedBatch < lines.length; i++) bodies.push(target.encode(lines.slice(i * pacedBatch, (i + 1) * pacedBatch).join('\n')));
    const start = performance.now();
    let chain = Promise.resolve();
    for (let i = 0; i * pacedBatch < lines.length; i++) {
      const due = start + i * 10;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      for (let k = 0; k < pacedBatch && i * pacedBatch + k < lines.length; k++) arrivedAt.set(paced.firstSeq + i * pacedBatch + k, due);
      const text = bodies[i]!;
      chain = chain.then(() => target.post(text));
    }
    await chain;
    const pacedSeqs = [...arrivedAt.keys()];
    const pacedExported = await waitExported(rx, pacedSeqs, 30_000);
    const latencies = pacedSeqs
      .filter((s) => rx.exportedAt.has(s))
      .map((s) => rx.exportedAt.get(s)! - arrivedAt.get(s)!)
      .sort((a, b) => a - b);

    // Flat out: TOTAL events from IN_FLIGHT emitters, each with one request in flight (its own seqs, so order holds per
    // emitter); CPU of the collector process over the whole phase.
    const streams = Array.from({ length: IN_FLIGHT }, (_, k) => makeLoad(`bench-flat/${n}/${k}`, TOTAL / IN_FLIGHT, (2 * n + 1) * 10_000_000 + k * 1_000_000));
    for (const s of streams) await target.prelude(s.nodes);
    const flatBodies = streams.map((s) => s.batches.map((b) => target.encode(b)));
    const cpu0 = cpuSeconds(proc.pid!);
    const t0 = performance.now();
    await Promise.all(
      flatBodies.map(async (bodies) => {
        for (const batch of bodies) await target.post(batch);
      }),
    );
    const flatSeqs = streams.flatMap((s) => Array.from({ length: TOTAL / IN_FLIGHT }, (_, i) => s.firstSeq + i));
    const exported = await waitExported(rx, flatSeqs, 60_000);
    const last = Math.max(...flatSeqs.filter((s) => rx.exportedAt.has(s)).map((s) => rx.exportedAt.get(s)!));
    const cpu = cpuSeconds(proc.pid!) - cpu0;
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      pacedLost: pacedSeqs.length - pacedExported,
      eventsPerSec: exported / ((last - t0) / 1000),
      cpuPer100k: (cpu / exported) * 100_000,
      lost: TOTAL - exported,
    };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const rx = await Receiver.start();
  const results = new Map<string, RoundResult[]>(PATHS.map((p) => [p.name, []]));
  const load0 = loadavg()[0]!;
  let n = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const path of PATHS) {
      process.stderr.write(`round ${r + 1}/${ROUNDS}: ${path.name}…`);
      rx.exportedAt.clear(); // the receiver's own heap stays small: its GC pauses would count as export latency
      const res = await round(path, rx, n++);
      process.stderr.write(
        ` p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, ${res.cpuPer100k.toFixed(2)} CPU-s/100k (load ${loadavg()[0]!.toFixed(2)})\n`,
      );
      results.get(path.name)!.push(res);
    }
  }
  rx.close();
  console.log(`bench:events — ${NODES} nodes / ${ACTORS} actors, actor.spawned/exited; collector in its own process; median of ${ROUNDS} alternating rounds`);
  console.log(
    `paced at ${RATE} events/s for ${SECONDS} s (latency); flat out ${TOTAL} events in NDJSON batches of ${BATCH}, ${IN_FLIGHT} request(s) in flight (throughput, CPU)`,
  );
  console.log(`${'path'.padEnd(40)} p50 ms   p99 ms   lost   events/s   CPU-s/100k   lost   CPU vs otelcol`);
  const rows = PATHS.map((p) => {
    const rs = results.get(p.name)!;
    return {
      p50: median(rs.map((x) => x.p50)),
      p99: median(rs.map((x) => x.p99)),
      pacedLost: Math.max(...rs.map((x) => x.pacedLost)),
      eps: median(rs.map((x) => x.eventsPerSec)),
      cpu: median(rs.map((x) => x.cpuPer100k)),
      lost: Math.max(...rs.map((x) => x.lost)),
    };
  });
  const peerRow = rows[PATHS.findIndex((p) => p.key === 'peer')];
  const peer = peerRow?.cpu ?? Number.NaN;
  PATHS.forEach((p, i) => {
    const row = rows[i]!;
    console.log(
      `${p.name.padEnd(40)} ${row.p50.toFixed(1).padStart(7)}  ${row.p99.toFixed(1).padStart(7)}  ${String(row.pacedLost).padStart(5)}  ${row.eps.toFixed(0).padStart(9)}  ${row.cpu.toFixed(2).padStart(11)}  ${String(row.lost).padStart(5)}   ${(row.cpu / peer).toFixed(2)}×`,
    );
  });
  const cpuOf = (key: string) => rows[PATHS.findIndex((p) => p.key === key)]?.cpu ?? Number.NaN;
  console.log(
    `recorder on / off CPU per event: ${(cpuOf('on') / cpuOf('off')).toFixed(2)}× (target ≤ 1.5×); recorder off / otelcol: ${(cpuOf('off') / peer).toFixed(2)}× (target ≤ 1.0×); p99 target ≤ 100 ms at ${RATE} events/s`,
  );
  console.log(`load average: ${load0.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end (2-core machine)`);
}

await main();
