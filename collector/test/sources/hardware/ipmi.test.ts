import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hardwareSource } from '../../../src/sources/hardware/index.js';
import { ErrorCounts } from '../../../src/sources/hardware/errors.js';
import { parseIpmiSdr } from '../../../src/sources/hardware/ipmi.js';
import { fakeIpmitool, UPSTREAM_SDR_CSV } from './fake-ipmitool.js';
import { coretemp, FakeSysfs, nvme } from './fake-sysfs.js';

test('IPMI: upstream CSV yields readings and ok/nc/cr/nr states; ns, discrete and non-temp/fan sensors give none', () => {
  const errors = new ErrorCounts();
  const { observations: obs, recognised, unparseable } = parseIpmiSdr(UPSTREAM_SDR_CSV, errors);
  assert.equal(recognised, 12);
  assert.equal(unparseable, 0);
  assert.deepEqual(
    obs.filter((o) => o.metric !== 'hw.status').map((o) => [o.metric, o.attributes!['hw.id'], o.value]),
    [
      ['hw.temperature', 'ipmi_cpu_temp', 45],
      ['hw.temperature', 'ipmi_system_temp', 52.5],
      ['hw.temperature', 'ipmi_inlet_temp', 81],
      ['hw.temperature', 'ipmi_exhaust_temp', 95],
      ['hw.fan.speed', 'ipmi_fan1', 4200],
      ['hw.fan.speed', 'ipmi_fan2', 300],
    ],
  );
  assert.deepEqual(
    obs.filter((o) => o.metric === 'hw.status' && o.value === 1).map((o) => [o.attributes!['hw.name'], o.attributes!['hw.state']]),
    [
      ['CPU Temp', 'ok'],
      ['System Temp', 'degraded'],
      ['Inlet Temp', 'failed'],
      ['Exhaust Temp', 'failed'],
      ['FAN1', 'ok'],
      ['FAN2', 'failed'],
    ],
  );
  assert.deepEqual(errors.observations(), []);
});

test('IPMI: elist status letters (lnc/ucr/unr) map too; lines in no CSV layout (the table ipmitool prints without -c) are counted', () => {
  const errors = new ErrorCounts();
  const r = parseIpmiSdr(['FAN1,200,RPM,lcr', 'CPU Temp         | 45 degrees C      | ok', 'garbage'].join('\n'), errors);
  assert.deepEqual(
    r.observations.filter((o) => o.value === 1 && o.metric === 'hw.status').map((o) => o.attributes!['hw.state']),
    ['failed'],
  );
  assert.equal(r.unparseable, 2);
  assert.deepEqual(
    errors.observations().map((o) => [o.attributes!['error.type'], o.value]),
    [['unparseable_line', 2]],
  );
});

test('hardware source: a removed chip stops reporting, a new one appears; ipmitool that prints no CSV line fails the collection', async (t) => {
  const fs = new FakeSysfs();
  const dir = mkdtempSync(join(tmpdir(), 'hmx-ipmitool-'));
  t.after(() => (fs.dispose(), rmSync(dir, { recursive: true, force: true })));
  fs.add('hwmon0', coretemp);
  const warnings: string[] = [];
  const ctx = { logger: { warn: (_f: object, m: string) => warnings.push(m), info() {}, error() {}, debug() {} } } as never;
  const good = hardwareSource.create({ ipmi: true, ipmitoolPath: fakeIpmitool(dir, UPSTREAM_SDR_CSV), hwmonRoot: fs.classDir });
  await good.start!(ctx);
  const ids = async () =>
    new Set(
      (await good.collect(ctx, new AbortController().signal)).observations!.filter((o) => o.metric === 'hw.temperature').map((o) => o.attributes!['hw.id']),
    );
  assert.ok((await ids()).has('coretemp@platform/coretemp.0/temp1'));
  assert.ok((await ids()).has('ipmi_cpu_temp'));
  fs.remove('hwmon0', coretemp.device);
  fs.add('hwmon1', nvme);
  const now = await ids();
  assert.ok(![...now].some((id) => String(id).startsWith('coretemp@')), 'removed chip reports nothing');
  assert.ok(now.has('nvme@pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/temp1'));

  const badDir = mkdtempSync(join(dir, 'bad-'));
  const bad = hardwareSource.create({
    ipmi: true,
    ipmitoolPath: fakeIpmitool(badDir, 'CPU Temp         | 45 degrees C      | ok\nFAN1             | 4200 RPM          | nc\n'),
    hwmonRoot: fs.classDir,
  });
  await bad.start!(ctx);
  await assert.rejects(
    bad.collect(ctx, new AbortController().signal),
    (e: Error & { code?: string }) => e.code === 'IPMI_UNPARSEABLE' && /2 lines/.test(e.message),
  );
  assert.equal(warnings.length, 1, 'one throttled warning');
});
