import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readHwmon } from '../../../src/sources/hardware/hwmon.js';
import { parseIpmiSdr } from '../../../src/sources/hardware/ipmi.js';
import { temperatureObservations } from '../../../src/sources/hardware/temperatures.js';

test('temperatures: present sensors become hw.temperature; absent ones produce no series (never a zero)', () => {
  const obs = temperatureObservations({ main: 48.5, cores: [47, 49], max: 49, socket: [], chipset: null } as never);
  assert.deepEqual(obs.map((o) => [o.attributes!['hw.id'], o.value]), [['cpu_package', 48.5], ['cpu_core_0', 47], ['cpu_core_1', 49]]);
  assert.ok(obs.every((o) => o.metric === 'hw.temperature' && o.attributes!['hw.type'] === 'temperature'));
  assert.deepEqual(temperatureObservations({ main: null, cores: [], max: null, socket: [], chipset: null } as never), []);
  assert.deepEqual(temperatureObservations({ main: -999, cores: [Number.NaN], max: null } as never), [], 'implausible readings dropped');
});

test('hwmon: temperatures in °C, fans in rpm, labels, alarms as hw.status state sets; no chips → nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hwmon-'));
  mkdirSync(join(root, 'hwmon0'));
  writeFileSync(join(root, 'hwmon0', 'name'), 'nct6775\n');
  writeFileSync(join(root, 'hwmon0', 'fan1_input'), '1200\n');
  writeFileSync(join(root, 'hwmon0', 'fan1_label'), 'CPU fan\n');
  writeFileSync(join(root, 'hwmon0', 'fan1_alarm'), '1\n');
  writeFileSync(join(root, 'hwmon0', 'fan2_input'), '800\n');
  mkdirSync(join(root, 'hwmon1'));
  writeFileSync(join(root, 'hwmon1', 'name'), 'coretemp\n');
  writeFileSync(join(root, 'hwmon1', 'temp1_input'), '42500\n');
  writeFileSync(join(root, 'hwmon1', 'temp1_label'), 'Package id 0\n');
  writeFileSync(join(root, 'hwmon1', 'temp1_crit_alarm'), '1\n');
  writeFileSync(join(root, 'hwmon1', 'temp2_input'), 'garbage\n');
  const obs = await readHwmon(root);
  const temps = obs.filter((o) => o.metric === 'hw.temperature');
  assert.deepEqual(temps.map((o) => [o.attributes!['hw.id'], o.attributes!['hw.name'], o.attributes!['hw.sensor_location'], o.value]), [['hwmon1_temp1', 'Package id 0', 'coretemp', 42.5]]);
  const speeds = obs.filter((o) => o.metric === 'hw.fan.speed');
  assert.deepEqual(speeds.map((o) => [o.attributes!['hw.id'], o.attributes!['hw.name'], o.value]), [
    ['hwmon0_fan1', 'CPU fan', 1200],
    ['hwmon0_fan2', 'nct6775 fan2', 800],
  ]);
  const status = obs.filter((o) => o.metric === 'hw.status');
  assert.deepEqual(status.map((o) => [o.attributes!['hw.id'], o.attributes!['hw.state'], o.value]), [
    ['hwmon0_fan1', 'ok', 0],
    ['hwmon0_fan1', 'degraded', 1],
    ['hwmon0_fan1', 'failed', 0],
    ['hwmon1_temp1', 'ok', 0],
    ['hwmon1_temp1', 'degraded', 0],
    ['hwmon1_temp1', 'failed', 1],
  ]);
  assert.deepEqual(await readHwmon(join(root, 'does-not-exist')), []);
});

test('IPMI sdr CSV: temperatures, fans, states; no-reading and other sensors skipped', () => {
  const csv = ['CPU Temp,30h,ok,3.1,45 degrees C', 'FAN1,41h,nc,29.1,4200 RPM', 'PSU1 Status,c8h,ok,10.1,Presence detected', 'DIMM Temp,31h,ns,32.1,No Reading', 'Inlet Temp,32h,cr,64.1,81 degrees C'].join('\n');
  const obs = parseIpmiSdr(csv);
  const values = obs.filter((o) => o.metric !== 'hw.status').map((o) => [o.metric, o.attributes!['hw.name'], o.value]);
  assert.deepEqual(values, [['hw.temperature', 'CPU Temp', 45], ['hw.fan.speed', 'FAN1', 4200], ['hw.temperature', 'Inlet Temp', 81]]);
  const current = obs.filter((o) => o.metric === 'hw.status' && o.value === 1).map((o) => [o.attributes!['hw.name'], o.attributes!['hw.state']]);
  assert.deepEqual(current, [['CPU Temp', 'ok'], ['FAN1', 'degraded'], ['Inlet Temp', 'failed']]);
});
