import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { osSource } from '../../../src/sources/os/index.js';
import { parseCpuTimes, parseDiskstats, parseLoadavg, parseMeminfo, parseMounts, parseNetDev } from '../../../src/sources/os/procfs.js';
import { createTestContext } from '../../support/context.js';

test('/proc/stat: aggregate times per cpu.mode in seconds', () => {
  const t = parseCpuTimes('cpu  100 20 30 400 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n');
  assert.deepEqual(t, { user: 1, nice: 0.2, system: 0.3, idle: 4, iowait: 0.05, interrupt: 0.13, steal: 0.08 });
  assert.throws(() => parseCpuTimes('intr 1 2 3'), /no aggregate "cpu" line/);
});

test('/proc/meminfo in bytes; /proc/loadavg; malformed loadavg is an error', () => {
  const m = parseMeminfo('MemTotal:       16000 kB\nMemFree:  4000 kB\nHugePages_Total:       0\n');
  assert.deepEqual(m, { MemTotal: 16000 * 1024, MemFree: 4000 * 1024, HugePages_Total: 0 });
  assert.deepEqual(parseLoadavg('0.50 1.25 2.00 1/234 5678\n'), [0.5, 1.25, 2]);
  assert.throws(() => parseLoadavg('garbage'), /malformed/);
});

test('/proc/diskstats: 512-byte sectors, filtered devices', () => {
  const text = ' 254       0 vda 100 0 2000 0 50 0 4000 0 0 0 0 0 0 0 0\n   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0\n';
  assert.deepEqual(
    parseDiskstats(text, (d) => d === 'vda'),
    [{ device: 'vda', readOps: 100, readBytes: 2000 * 512, writeOps: 50, writeBytes: 4000 * 512 }],
  );
});

test('/proc/net/dev and /proc/mounts (octal escapes, pseudo filesystems skipped)', () => {
  const net = 'Inter-|   Receive\n face |bytes packets\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n';
  assert.deepEqual(parseNetDev(net), [{ iface: 'eth0', rxBytes: 1000, txBytes: 2000 }]);
  const mounts = '/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n/dev/sdb1 /mnt/my\\040disk xfs ro 0 0\n/dev/sda1 / ext4 rw 0 0\n';
  assert.deepEqual(parseMounts(mounts), [
    { device: '/dev/sda1', mountpoint: '/', type: 'ext4', mode: 'rw' },
    { device: '/dev/sdb1', mountpoint: '/mnt/my disk', type: 'xfs', mode: 'ro' },
  ]);
});

test('the OS source on this host: semconv names, and memory matching /proc/meminfo', async () => {
  const source = osSource.create(osSource.defaults);
  const frame = await source.collect(createTestContext(), new AbortController().signal);
  const obs = frame.observations ?? [];
  const names = new Set(obs.map((o) => o.metric));
  for (const name of [
    'system.cpu.time',
    'system.memory.usage',
    'system.memory.utilization',
    'system.cpu.load_average.1m',
    'system.uptime',
    'system.network.io',
  ]) {
    assert.ok(names.has(name), `${name} reported`);
  }
  for (const o of obs)
    assert.ok(
      source.metrics.some((m) => m.name === o.metric),
      `${o.metric} is declared`,
    );
  const meminfo = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
  const limit = obs.find((o) => o.metric === 'system.memory.limit')!.value;
  assert.equal(limit, meminfo.MemTotal);
  const states = Object.fromEntries(obs.filter((o) => o.metric === 'system.memory.usage').map((o) => [o.attributes!['system.memory.state'], o.value]));
  assert.ok(Math.abs(states.free! - meminfo.MemFree!) < 0.05 * meminfo.MemTotal!, 'free memory within 5% of /proc/meminfo');
  const used = states.used! + states.free! + states.buffers! + states.cached!;
  assert.equal(used, meminfo.MemTotal, 'used + free + buffers + cached = total');
  const util = obs.filter((o) => o.metric === 'system.cpu.utilization').reduce((a, o) => a + o.value, 0);
  assert.ok(Math.abs(util - 1) < 1e-9, `cpu utilization over modes sums to 1 (${util})`);
});

test('a containerised collector reads its host through procRoot, sysRoot and rootfs; series keep the host names', async () => {
  const host = mkdtempSync(join(tmpdir(), 'hmx-os-host-'));
  try {
    for (const dir of ['proc/1', 'proc/net', 'sys/block/hmxa', 'root/hmx-data']) mkdirSync(join(host, dir), { recursive: true });
    for (const f of ['stat', 'meminfo', 'loadavg', 'uptime']) writeFileSync(join(host, 'proc', f), readFileSync(`/proc/${f}`));
    writeFileSync(join(host, 'proc/diskstats'), ' 254 0 hmxa 100 0 2000 0 50 0 4000 0 0 0 0 0 0 0 0\n 254 16 hmxb 7 0 70 0 0 0 0 0 0 0 0 0 0 0 0\n');
    writeFileSync(join(host, 'proc/net/dev'), 'Inter-|\n face |\n  eth0: 10 1 0 0 0 0 0 0 20 2 0 0 0 0 0 0\n');
    writeFileSync(join(host, 'proc/1/mounts'), '/dev/hmxa1 /hmx-data ext4 rw,relatime 0 0\n');
    const source = osSource.create({ ...osSource.defaults, procRoot: join(host, 'proc'), sysRoot: join(host, 'sys'), rootfs: join(host, 'root') });
    const { observations } = await source.collect(createTestContext(), new AbortController().signal);
    const devices = new Set(observations!.filter((o) => o.metric === 'system.disk.io').map((o) => o.attributes?.['system.device']));
    assert.deepEqual([...devices], ['hmxa'], 'only the whole disks the host sysfs lists (hmxb is not in its block/)');
    const fs = observations!.filter((o) => o.metric === 'system.filesystem.usage');
    assert.ok(fs.length > 0, 'statfs through the rootfs prefix');
    assert.deepEqual([...new Set(fs.map((o) => o.attributes?.['system.filesystem.mountpoint']))], ['/hmx-data'], 'the host mountpoint, not the prefixed path');
    assert.deepEqual(
      observations!.filter((o) => o.metric === 'system.network.io').map((o) => o.value),
      [10, 20],
    );
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
});
