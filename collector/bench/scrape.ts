// npm run bench:scrape — CPU per /metrics collection of an idle agent (`run --interval 1s`, host sources, no OTLP):
// the MeterProvider's collect (every observable callback, the live-series filter) and the Prometheus text, timed
// in-process with process.cpuUsage() around each one, once at the 1 s cadence Prometheus would use and once back to
// back (the code fully optimized). The HTTP round trip is not included.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { startAgent } from '../src/agent.js';
import { resolveConfig } from '../src/cli/options.js';
import { createLogger } from '../src/core/logger.js';
import { LAUNCHER_V8_FLAGS } from './proc-stats.js';

// Measured with the V8 flags the collector ships with: re-run this file under them once.
if (!process.env.HMX_BENCH_SCRAPE_CHILD) {
  const child = spawnSync(process.execPath, [...LAUNCHER_V8_FLAGS, '--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, HMX_BENCH_SCRAPE_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const hot = Number(process.env.BENCH_HOT ?? 2000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const config = resolveConfig(
  { interval: '1s', listen: '127.0.0.1:0' },
  { recorder: { dir: mkdtempSync(join(tmpdir(), 'hmx-bench-scrape-')) } },
  { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' },
);
const agent = await startAgent(config, createLogger('warn'));
const exporter = agent.collector.telemetry.prometheus;
// The exporter's own settings (no scope info), as /metrics serves it.
const serializer = new PrometheusSerializer(undefined, false, undefined, true);

/** CPU milliseconds of one collection and its serialization. */
async function scrape(): Promise<{ cpuMs: number; bytes: number }> {
  const start = process.cpuUsage();
  const { resourceMetrics } = await exporter.collect();
  const bytes = serializer.serialize(resourceMetrics).length;
  const used = process.cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  await sleep(2000);
  const paced: number[] = [];
  let bytes = 0;
  for (let i = 0; i < seconds; i++) {
    const r = await scrape();
    paced.push(r.cpuMs);
    bytes = r.bytes;
    await sleep(1000);
  }
  const fast: number[] = [];
  for (let i = 0; i < hot; i++) fast.push((await scrape()).cpuMs);
  console.log(`/metrics collect + serialize, idle agent (${bytes} bytes of text)`);
  console.log(`every 1 s for ${seconds} s: median ${median(paced).toFixed(2)} ms CPU per scrape`);
  console.log(`back to back x${hot}:   median ${median(fast).toFixed(2)} ms CPU per scrape`);
} finally {
  await agent.stop();
}
