// npm run bench:overhead — hmx-collector (host sources at 1 s) vs Debian's prometheus-node-exporter, both scraped
// every second, measured in the same run: CPU seconds per minute and peak RSS, and their ratio. The collector runs as
// shipped (the bundle, the launcher's V8 flags); BENCH_FLAG_SETS="<flags>;<flags>" runs one copy per flag set instead,
// and BENCH_BASE_MAIN=<path to another build's collector/dist/bundle/hmx-collector.js> that build beside them too (an
// A/B of two builds in one window), with the launcher's flags or BENCH_BASE_FLAGS.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, FLAG_SETS, LAUNCHER_V8_FLAGS, peakRssMb, SHIPPED_MAIN } from './proc-stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const warmup = 5;
const baseMain = process.env.BENCH_BASE_MAIN;
const baseFlags = process.env.BENCH_BASE_FLAGS?.split(/\s+/).filter(Boolean);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** `hmx-collector run` at 1 s, the way the launcher runs it (its shebang passes the same V8 flags). */
function collector(main: string, port: number, flags = LAUNCHER_V8_FLAGS): ChildProcess {
  return spawn(process.execPath, [...flags, main, 'run', '--interval', '1s', '--listen', `127.0.0.1:${port}`], {
    stdio: 'ignore',
    // Local-only: the same job node_exporter does (collect, serve /metrics); its own recorder directory.
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', HMX_LOG_LEVEL: 'warn', HMX_RECORDER_DIR: mkdtempSync(join(tmpdir(), 'hmx-bench-recorder-')) },
  });
}

async function main() {
  const ports = await Promise.all([...FLAG_SETS, 'node_exporter', ...(baseMain ? ['base'] : [])].map(() => freePort()));
  const [nPort, bPort] = ports.slice(FLAG_SETS.length);
  const procs: ChildProcess[] = [
    spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nPort}`], { stdio: 'ignore' }),
    ...FLAG_SETS.map((set, i) => collector(SHIPPED_MAIN, ports[i]!, set.flags)),
    ...(baseMain ? [collector(baseMain, bPort!, baseFlags)] : []),
  ];
  try {
    const targets = [
      { name: 'node_exporter', pid: procs[0]!.pid!, url: `http://127.0.0.1:${nPort}/metrics` },
      ...FLAG_SETS.map((set, i) => ({
        name: FLAG_SETS.length === 1 ? 'hmx-collector' : `hmx ${set.label}`,
        pid: procs[i + 1]!.pid!,
        url: `http://127.0.0.1:${ports[i]}/metrics`,
      })),
      ...(baseMain ? [{ name: 'base build', pid: procs.at(-1)!.pid!, url: `http://127.0.0.1:${bPort}/metrics` }] : []),
    ];
    await Promise.all(targets.map((t) => waitUp(t.url)));
    const scrape = setInterval(
      () =>
        targets.forEach(
          (t) =>
            void fetch(t.url)
              .then((r) => r.text())
              .catch(() => undefined),
        ),
      1000,
    );
    await new Promise((r) => setTimeout(r, warmup * 1000));
    const start = targets.map((t) => cpuSeconds(t.pid));
    process.stderr.write(`measuring for ${seconds} s…\n`);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = targets.map((t, i) => ((cpuSeconds(t.pid) - start[i]!) / seconds) * 60);
    const rss = targets.map((t) => peakRssMb(t.pid));
    clearInterval(scrape);
    console.log(`overhead over ${seconds} s, collection and scrape every 1 s (same run)`);
    const width = Math.max(16, ...targets.map((t) => t.name.length));
    console.log(`${'process'.padEnd(width)} CPU s/min   % of one core   peak RSS MB`);
    targets.forEach((t, i) =>
      console.log(
        `${t.name.padEnd(width)} ${cpu[i]!.toFixed(3).padStart(9)}   ${((cpu[i]! / 60) * 100).toFixed(3).padStart(13)}   ${rss[i]!.toFixed(1).padStart(11)}`,
      ),
    );
    for (let i = 1; i <= FLAG_SETS.length; i++)
      console.log(
        `ratio ${targets[i]!.name} / node_exporter CPU: ${(cpu[i]! / cpu[0]!).toFixed(2)}  (targets: ratio ≤ 1.0; < 0.5 % of a core; peak RSS ≤ 60 MB)`,
      );
    if (baseMain) console.log(`this build / base build: CPU ${(cpu[1]! / cpu.at(-1)!).toFixed(2)}, peak RSS ${(rss[1]! / rss.at(-1)!).toFixed(2)}`);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const p of procs) p.kill('SIGTERM');
  }
}

await main();
