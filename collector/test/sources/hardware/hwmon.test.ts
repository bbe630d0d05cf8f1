import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { pollUntil } from '../../../../test/support/wait.js';
import { startAgent } from '../../../src/agent.js';
import { buildConfig } from '../../../src/config/load.js';
import type { CollectionProblems } from '../../../src/core/health.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Observation } from '../../../src/core/observation.js';
import { builtinSources } from '../../../src/sources/index.js';
import { ErrorCounts } from '../../../src/sources/hardware/errors.js';
import { readHwmon } from '../../../src/sources/hardware/hwmon.js';
import { amdgpu, coretemp, FakeSysfs, nct6775, nvme } from './fake-sysfs.js';

const pick = (obs: Observation[], metric: string, ...keys: string[]) =>
  obs.filter((o) => o.metric === metric).map((o) => [...keys.map((k) => o.attributes![k]), o.value]);
const current = (obs: Observation[]) =>
  pick(
    obs.filter((o) => o.value === 1),
    'hw.status',
    'hw.id',
    'hw.state',
  ).map(([id, s]) => [id, s]);

test('hwmon: °C and rpm through symlinked hwmonN, ids from the device path, labels or chip+channel names', async (t) => {
  const fs = new FakeSysfs();
  t.after(() => fs.dispose());
  fs.add('hwmon0', coretemp);
  fs.add('hwmon1', nvme);
  fs.add('hwmon2', amdgpu);
  const obs = await readHwmon(fs.classDir, new ErrorCounts());
  assert.deepEqual(pick(obs, 'hw.temperature', 'hw.id', 'hw.name', 'hw.sensor_location'), [
    ['coretemp@platform/coretemp.0/temp1', 'Package id 0', 'coretemp', 45],
    ['coretemp@platform/coretemp.0/temp2', 'Core 0', 'coretemp', 101],
    ['nvme@pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/temp1', 'Composite', 'nvme', 38.85],
    ['amdgpu@pci0000:00/0000:00:03.1/0000:0a:00.0/temp1', 'edge', 'amdgpu', 97],
  ]);
  assert.deepEqual(pick(obs, 'hw.fan.speed', 'hw.id', 'hw.name'), [['amdgpu@pci0000:00/0000:00:03.1/0000:0a:00.0/fan1', 'amdgpu fan1', 2100]]);
});

test('hwmon: limits exported as hw.*.limit with hw.limit_type (°C, rpm)', async (t) => {
  const fs = new FakeSysfs();
  t.after(() => fs.dispose());
  fs.add('hwmon3', nvme);
  fs.add('hwmon4', amdgpu);
  const obs = await readHwmon(fs.classDir, new ErrorCounts());
  assert.deepEqual(pick(obs, 'hw.temperature.limit', 'hw.name', 'hw.limit_type'), [
    ['Composite', 'high.critical', 84.85],
    ['Composite', 'high.degraded', 81.85],
    ['Composite', 'low.degraded', -273.15],
    ['edge', 'high.critical', 94],
  ]);
  assert.deepEqual(pick(obs, 'hw.fan.speed.limit', 'hw.name', 'hw.limit_type'), [
    ['amdgpu fan1', 'low.degraded', 0],
    ['amdgpu fan1', 'high.degraded', 3300],
  ]);
});

test('hwmon: hw.status from alarm files where present, else from the reading against its limits', async (t) => {
  const fs = new FakeSysfs();
  t.after(() => fs.dispose());
  fs.add('hwmon0', coretemp);
  fs.add('hwmon1', nct6775);
  fs.add('hwmon2', nvme);
  fs.add('hwmon3', amdgpu);
  const obs = await readHwmon(fs.classDir, new ErrorCounts());
  assert.deepEqual(current(obs), [
    ['coretemp@platform/coretemp.0/temp1', 'ok'], // crit_alarm 0: the alarm file wins
    ['coretemp@platform/coretemp.0/temp2', 'failed'], // crit_alarm 1
    ['nct6775@platform/nct6775.656/fan1', 'degraded'], // 0 rpm under fan1_min 500, no alarm file
    ['nvme@pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/temp1', 'ok'],
    ['amdgpu@pci0000:00/0000:00:03.1/0000:0a:00.0/fan1', 'ok'],
    ['amdgpu@pci0000:00/0000:00:03.1/0000:0a:00.0/temp1', 'failed'], // 97 °C over temp1_crit 94 °C
  ]);
  // every reported state set is complete: one series per state
  assert.equal(obs.filter((o) => o.metric === 'hw.status').length, 6 * 3);
  // a channel with neither alarm file nor limit has no status at all
  assert.ok(!obs.some((o) => o.metric === 'hw.status' && o.attributes!['hw.id'] === 'nct6775@platform/nct6775.656/fan2'));
});

test('hwmon: hw.id survives the kernel renumbering hwmonN (probe order changes across reboots)', async (t) => {
  const before = new FakeSysfs();
  const after = new FakeSysfs();
  t.after(() => (before.dispose(), after.dispose()));
  before.add('hwmon0', coretemp);
  before.add('hwmon1', amdgpu);
  after.add('hwmon0', amdgpu);
  after.add('hwmon5', coretemp);
  const ids = async (fs: FakeSysfs) =>
    (await readHwmon(fs.classDir, new ErrorCounts()))
      .filter((o) => o.metric === 'hw.temperature')
      .map((o) => o.attributes!['hw.id'])
      .sort();
  assert.deepEqual(await ids(after), await ids(before));
});

test('hwmon: unreadable and invalid inputs are counted in hw.errors by reason; the good channels still report', async (t) => {
  const fs = new FakeSysfs();
  t.after(() => fs.dispose());
  fs.add('hwmon1', nct6775);
  const errors = new ErrorCounts();
  const obs = await readHwmon(fs.classDir, errors);
  await readHwmon(fs.classDir, errors);
  assert.deepEqual(pick(obs, 'hw.fan.speed', 'hw.name'), [
    ['CPU fan', 0],
    ['nct6775 fan2', 820],
  ]);
  assert.deepEqual(pick(obs, 'hw.temperature', 'hw.id'), []);
  assert.deepEqual(pick(errors.observations(), 'hw.errors', 'hw.id', 'hw.type', 'error.type'), [
    ['nct6775@platform/nct6775.656/temp1', 'temperature', 'eisdir', 2],
    ['nct6775@platform/nct6775.656/temp2', 'temperature', 'invalid_value', 2],
  ]);
  assert.deepEqual(await readHwmon(`${fs.root}/does-not-exist`, errors), []);
});

test('hwmon: a chip that goes away takes its hw.errors series with it; a chip that stays keeps counting', async (t) => {
  const fs = new FakeSysfs();
  t.after(() => fs.dispose());
  fs.add('hwmon1', nct6775);
  fs.add('hwmon2', { ...amdgpu, files: { ...amdgpu.files, temp1_input: null } });
  const errors = new ErrorCounts();
  const cycle = async () => {
    errors.beginCycle();
    await readHwmon(fs.classDir, errors);
    return pick(errors.observations(), 'hw.errors', 'hw.id', 'error.type');
  };
  await cycle();
  assert.equal((await cycle()).length, 3);
  fs.remove('hwmon1', nct6775.device);
  assert.deepEqual(await cycle(), [['amdgpu@pci0000:00/0000:00:03.1/0000:0a:00.0/temp1', 'eisdir', 3]]);
});

test('hardware source: a bad sensor among good ones is listed on /status sources.hardware.problems, cleared once every read succeeds', async (t) => {
  const fs = new FakeSysfs();
  t.after(() => fs.dispose());
  fs.add('hwmon1', nct6775);
  const config = buildConfig(
    [
      {
        listen: '127.0.0.1:0',
        recorder: { dir: join(fs.root, 'recorder') },
        sources: { os: { enabled: false }, hardware: { enabled: true, interval: '100ms', hwmonRoot: fs.classDir } },
      },
    ],
    builtinSources,
  );
  const agent = await startAgent(config, silentLogger());
  t.after(() => agent.stop());
  const hardware = async () =>
    ((await (await fetch(`${agent.collector.url}/status`)).json()) as { sources: { hardware: { state: string; problems?: CollectionProblems } } }).sources
      .hardware;
  const listed = await pollUntil(async () => (await hardware()).problems, { timeoutMs: 10_000, what: 'problems on /status' });
  assert.equal((await hardware()).state, 'ok', 'the collection as a whole still succeeds');
  assert.deepEqual(listed, {
    failed: 2,
    by_reason: { eisdir: 1, invalid_value: 1 },
    examples: ['nct6775@platform/nct6775.656/temp1: eisdir', 'nct6775@platform/nct6775.656/temp2: invalid_value'],
  });
  fs.remove('hwmon1', nct6775.device);
  await pollUntil(async () => ((await hardware()).problems === undefined ? true : undefined), {
    timeoutMs: 10_000,
    what: 'problems cleared once every read succeeds',
  });
});
