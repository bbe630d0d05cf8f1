// Parsers for the /proc files the OS source reads. Reading /proc is far cheaper than spawning tools every second.
import { readFileSync } from 'node:fs';
import { underRoot } from '../../core/host-paths.js';

/**
 * Read synchronously: procfs files are generated from kernel memory and never wait on a disk, and fs/promises'
 * open/fstat/read/close round trips through the thread pool cost ~7x the CPU (0.8 vs 0.12 ms for the OS source's
 * seven files each collection). A missing file still rejects, as before.
 */
export const readProc = async (path: string, root = '/proc') => readFileSync(underRoot(root, path), 'utf8');

/** Aggregate CPU times from /proc/stat, in seconds per mode (USER_HZ = 100 on Linux). */
export function parseCpuTimes(stat: string, hz = 100): Record<string, number> {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate "cpu" line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  // cpu.mode values of the semantic conventions; softirq counts as interrupt time.
  return {
    user: user / hz,
    nice: nice / hz,
    system: system / hz,
    idle: idle / hz,
    iowait: iowait / hz,
    interrupt: (irq + softirq) / hz,
    steal: steal / hz,
  };
}

/** /proc/meminfo values in bytes, keyed by field name. */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * (line.endsWith('kB') ? 1024 : 1);
  }
  return out;
}

export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (![a, b, c].every((v) => Number.isFinite(v))) throw new Error(`/proc/loadavg is malformed: ${JSON.stringify(text)}`);
  return [a!, b!, c!];
}

export function parseUptime(text: string): number {
  const v = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(v)) throw new Error('/proc/uptime is malformed');
  return v;
}

export interface DiskStat {
  device: string;
  readOps: number;
  writeOps: number;
  readBytes: number;
  writeBytes: number;
}

/** /proc/diskstats; sectors are always 512 bytes there, whatever the device's own sector size. */
export function parseDiskstats(text: string, include: (device: string) => boolean): DiskStat[] {
  const out: DiskStat[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14 || !include(f[2]!)) continue;
    out.push({
      device: f[2]!,
      readOps: Number(f[3]),
      readBytes: Number(f[5]) * 512,
      writeOps: Number(f[7]),
      writeBytes: Number(f[9]) * 512,
    });
  }
  return out;
}

export interface NetDevStat {
  iface: string;
  rxBytes: number;
  txBytes: number;
}

export function parseNetDev(text: string): NetDevStat[] {
  const out: NetDevStat[] = [];
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    out.push({ iface: m[1]!, rxBytes: f[0] ?? 0, txBytes: f[8] ?? 0 });
  }
  return out;
}

export interface Mount {
  device: string;
  mountpoint: string;
  type: string;
  mode: 'ro' | 'rw';
}

// Only filesystems that hold data; pseudo filesystems (proc, sysfs, tmpfs, overlay layers…) would be noise.
const DATA_FS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'vfat', 'exfat', 'ntfs', 'ntfs3', 'f2fs', 'jfs', 'reiserfs']);

export function parseMounts(text: string): Mount[] {
  const seen = new Set<string>();
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const [device, mountpoint, type, opts] = line.split(' ');
    if (!device || !mountpoint || !type || !DATA_FS.has(type) || seen.has(mountpoint)) continue;
    seen.add(mountpoint);
    // /proc/mounts escapes spaces and friends as octal.
    const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    out.push({ device: unescape(device), mountpoint: unescape(mountpoint), type, mode: opts?.split(',').includes('ro') ? 'ro' : 'rw' });
  }
  return out;
}
