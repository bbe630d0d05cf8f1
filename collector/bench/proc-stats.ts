// CPU seconds and peak RSS of a process, read from /proc (what `top` would show, without sampling error).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TICKS = 100; // USER_HZ on Linux

/** utime + stime, plus the CPU of waited-for children (a collector that spawns tools must pay for them). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
}

export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** The V8 flags the hmx-collector launcher's shebang passes: benches run the collector as shipped. */
export const LAUNCHER_V8_FLAGS = readFileSync(new URL('../bin/hmx-collector.mjs', import.meta.url), 'utf8')
  .split('\n', 1)[0]!
  .split(' ')
  .filter((a) => a.startsWith('--'));

/** BENCH_FLAG_SETS="<flags>;<flags>": alternative V8 flag sets (each in place of the launcher's), every one measured in
 * the same run, to choose the launcher's flags by measurement; `none` is Node's defaults. Unset: the launcher's. */
export const FLAG_SETS: { label: string; flags: string[] }[] = process.env.BENCH_FLAG_SETS
  ? process.env.BENCH_FLAG_SETS.split(';').map((set) => ({ label: set.trim(), flags: set.trim() === 'none' ? [] : set.trim().split(/\s+/) }))
  : [{ label: 'launcher flags', flags: LAUNCHER_V8_FLAGS }];

/** The agent as shipped: the bundle `npm run build` writes (collector/scripts/bundle.mjs), which the launcher runs. */
export const SHIPPED_MAIN = fileURLToPath(new URL('../dist/bundle/hmx-collector.js', import.meta.url));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
