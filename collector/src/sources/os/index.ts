// OS source: CPU, memory, load, uptime, disks, filesystems and network from /proc and statfs.
import { readdir, statfs } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Type, type Static } from '@sinclair/typebox';
import { underRoot } from '../../core/host-paths.js';
import type { Observation } from '../../core/observation.js';
import type { Source, SourceFactory } from '../../core/source.js';
import { osMetrics } from './metrics.js';
import { parseCpuTimes, parseDiskstats, parseLoadavg, parseMeminfo, parseMounts, parseNetDev, parseUptime, readProc } from './procfs.js';

const configSchema = Type.Object(
  {
    /** Where the host's procfs, sysfs and root filesystem are mounted (a container watching its host mounts them elsewhere). */
    procRoot: Type.String({ minLength: 1 }),
    sysRoot: Type.String({ minLength: 1 }),
    rootfs: Type.String({ minLength: 1 }),
    excludeInterfaces: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type OsConfig = Static<typeof configSchema>;

// Virtual block devices that only add noise to disk series.
const VIRTUAL_DISK = /^(loop|ram|zram|dm-|sr)\d*/;

class OsSource implements Source {
  readonly name = 'os';
  readonly layer = 'os' as const;
  readonly metrics = osMetrics;
  private previousCpu?: Record<string, number>;

  constructor(private readonly config: OsConfig) {}

  async collect(): Promise<{ observations: Observation[] }> {
    const root = this.config.procRoot;
    const [stat, meminfo, loadavg, uptime, diskstats, netdev, mounts, blocks] = await Promise.all([
      readProc('stat', root),
      readProc('meminfo', root),
      readProc('loadavg', root),
      readProc('uptime', root),
      readProc('diskstats', root).catch(() => ''),
      readProc('net/dev', root).catch(() => ''),
      // The host's mounts are init's (pid 1); a collector that may not read them (not root) falls back to its own.
      readProc('1/mounts', root)
        .catch(() => readProc('self/mounts', root))
        .catch(() => ''),
      readdir(underRoot(this.config.sysRoot, 'block')).catch(() => [] as string[]),
    ]);
    const out: Observation[] = [];
    this.cpu(parseCpuTimes(stat), out);
    this.memory(parseMeminfo(meminfo), out);
    const [l1, l5, l15] = parseLoadavg(loadavg);
    out.push(
      { metric: 'system.cpu.load_average.1m', value: l1 },
      { metric: 'system.cpu.load_average.5m', value: l5 },
      { metric: 'system.cpu.load_average.15m', value: l15 },
      { metric: 'system.uptime', value: parseUptime(uptime) },
      { metric: 'system.cpu.logical.count', value: availableParallelism() },
    );
    const wholeDisks = new Set(blocks.filter((b) => !VIRTUAL_DISK.test(b)));
    for (const d of parseDiskstats(diskstats, (dev) => wholeDisks.has(dev))) {
      for (const [direction, bytes, ops] of [
        ['read', d.readBytes, d.readOps],
        ['write', d.writeBytes, d.writeOps],
      ] as const) {
        const attributes = { 'system.device': d.device, 'disk.io.direction': direction };
        out.push({ metric: 'system.disk.io', value: bytes, attributes }, { metric: 'system.disk.operations', value: ops, attributes });
      }
    }
    for (const n of parseNetDev(netdev)) {
      if (this.config.excludeInterfaces.includes(n.iface)) continue;
      out.push(
        { metric: 'system.network.io', value: n.rxBytes, attributes: { 'network.interface.name': n.iface, 'network.io.direction': 'receive' } },
        { metric: 'system.network.io', value: n.txBytes, attributes: { 'network.interface.name': n.iface, 'network.io.direction': 'transmit' } },
      );
    }
    await this.filesystems(parseMounts(mounts), out);
    return { observations: out };
  }

  private cpu(times: Record<string, number>, out: Observation[]): void {
    const prev = this.previousCpu;
    this.previousCpu = times;
    // First collection: utilization since boot; afterwards, since the previous collection.
    const delta = Object.fromEntries(Object.entries(times).map(([m, t]) => [m, t - (prev?.[m] ?? 0)]));
    const total = Object.values(delta).reduce((a, b) => a + b, 0);
    for (const [mode, seconds] of Object.entries(times)) {
      out.push({ metric: 'system.cpu.time', value: seconds, attributes: { 'cpu.mode': mode } });
      if (total > 0) out.push({ metric: 'system.cpu.utilization', value: delta[mode]! / total, attributes: { 'cpu.mode': mode } });
    }
  }

  private memory(m: Record<string, number>, out: Observation[]): void {
    const total = m.MemTotal;
    if (!total) throw new Error('/proc/meminfo has no MemTotal');
    const free = m.MemFree ?? 0;
    const buffers = m.Buffers ?? 0;
    // As free(1) counts it: page cache plus reclaimable slab.
    const cached = (m.Cached ?? 0) + (m.SReclaimable ?? 0);
    const states: Record<string, number> = {
      used: total - free - buffers - cached,
      free,
      buffers,
      cached,
      shared: m.Shmem ?? 0,
    };
    out.push({ metric: 'system.memory.limit', value: total });
    for (const [state, bytes] of Object.entries(states)) {
      const attributes = { 'system.memory.state': state };
      out.push({ metric: 'system.memory.usage', value: bytes, attributes }, { metric: 'system.memory.utilization', value: bytes / total, attributes });
    }
  }

  private async filesystems(mounts: ReturnType<typeof parseMounts>, out: Observation[]): Promise<void> {
    for (const mount of mounts) {
      const fs = await statfs(underRoot(this.config.rootfs, mount.mountpoint)).catch(() => undefined);
      if (!fs || fs.blocks === 0) continue;
      const size = fs.bsize;
      const free = fs.bavail * size;
      const reserved = (fs.bfree - fs.bavail) * size;
      const used = (fs.blocks - fs.bfree) * size;
      const base = {
        'system.device': mount.device,
        'system.filesystem.type': mount.type,
        'system.filesystem.mode': mount.mode,
        'system.filesystem.mountpoint': mount.mountpoint,
      };
      for (const [state, bytes] of [
        ['used', used],
        ['free', free],
        ['reserved', reserved],
      ] as const) {
        out.push({ metric: 'system.filesystem.usage', value: bytes, attributes: { ...base, 'system.filesystem.state': state } });
      }
      out.push({ metric: 'system.filesystem.utilization', value: used / (used + free), attributes: base });
    }
  }
}

export const osSource: SourceFactory<OsConfig> = {
  name: 'os',
  layer: 'os',
  configSchema,
  defaults: { procRoot: '/proc', sysRoot: '/sys', rootfs: '/', excludeInterfaces: ['lo'] },
  enabledByDefault: true,
  create: (config) => new OsSource(config),
};
