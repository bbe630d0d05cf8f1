// CPU seconds and peak RSS of a process, read from /proc (what `top` would show, without sampling error).
import { readFileSync } from 'node:fs';

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

const SEMI_SPACE_FLAG = /^--max-semi-space-size=(\d+)$/;

/** The young-generation size (MB) among them. */
export const LAUNCHER_SEMI_SPACE = SEMI_SPACE_FLAG.exec(LAUNCHER_V8_FLAGS.find((f) => SEMI_SPACE_FLAG.test(f))!)![1]!;

/** The launcher's other V8 flags, for a bench that varies the young generation (BENCH_SEMI_SPACE). */
export const LAUNCHER_FLAGS_BUT_SEMI_SPACE = LAUNCHER_V8_FLAGS.filter((f) => !SEMI_SPACE_FLAG.test(f));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
