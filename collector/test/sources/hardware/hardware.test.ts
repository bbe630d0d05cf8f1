import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readHwmon } from '../../../src/sources/hardware/hwmon.js';
import { parseIpmiSdr, readIpmi } from '../../../src/sources/hardware/ipmi.js';
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

test('IPMI: the CSV upstream ipmitool prints for sdr elist full — readings, units, elist states, ns/na, discrete and event-only lines', () => {
  // Lines as lib/ipmi_sdr.c prints them with -c: threshold "name,reading,unit,status", no reading "name,,,ns",
  // discrete "name,NNh,ok,entity,states", event-only "name,NNh,ns,entity,Event-Only".
  const csv = [
    'CPU Temp,45,degrees C,ok',
    'FAN1,4200,RPM,lnc',
    'FAN2,0,RPM,lcr',
    'Inlet Temp,81,degrees C,ucr',
    'PCH Temp,97.500,degrees C,unr',
    'DIMM Temp,,,ns',
    '12V,12.190,Volts,ok',
    'PSU1 Status,C8h,ok,10.1,Presence detected',
    'Fan Block 1,21.56,percent,ok,7.1,Transition to Running',
    'Drive 3,D3h,ns,4.3,No Reading',
    'SEL,72h,ns,7.1,Event-Only',
  ].join('\n');
  const { observations, skipped } = parseIpmiSdr(csv);
  const values = observations.filter((o) => o.metric !== 'hw.status').map((o) => [o.metric, o.attributes!['hw.name'], o.value]);
  assert.deepEqual(values, [['hw.temperature', 'CPU Temp', 45], ['hw.fan.speed', 'FAN1', 4200], ['hw.fan.speed', 'FAN2', 0], ['hw.temperature', 'Inlet Temp', 81], ['hw.temperature', 'PCH Temp', 97.5]]);
  const current = observations.filter((o) => o.metric === 'hw.status' && o.value === 1).map((o) => [o.attributes!['hw.name'], o.attributes!['hw.state']]);
  assert.deepEqual(current, [['CPU Temp', 'ok'], ['FAN1', 'degraded'], ['FAN2', 'failed'], ['Inlet Temp', 'failed'], ['PCH Temp', 'failed']]);
  assert.deepEqual(skipped, { no_reading: 3, discrete: 2, other_unit: 1, unparseable: 0 });
  assert.equal(observations.find((o) => o.attributes!['hw.name'] === 'CPU Temp')!.attributes!['hw.id'], 'ipmi_cpu_temp');
});

test('IPMI: plain-list states (nc/cr/nr) map too; a layout ipmitool never prints is counted as unparseable, never a reading', () => {
  const { observations, skipped, firstUnparseable } = parseIpmiSdr(['Sys Temp,40,degrees C,nc', 'CPU Temp,30h,ok,3.1,45 degrees C', 'garbage'].join('\n'));
  assert.deepEqual(observations.filter((o) => o.metric === 'hw.status' && o.value === 1).map((o) => o.attributes!['hw.state']), ['degraded']);
  // The old invented 5-column layout reads as a discrete line (NNh in the reading column), not as 45 degrees.
  assert.equal(observations.filter((o) => o.metric === 'hw.temperature').length, 1);
  assert.equal(skipped.unparseable, 1);
  assert.equal(firstUnparseable, 'garbage');
});

test('IPMI: output of which no line parses fails the collection with the reason, instead of an empty ok', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-ipmi-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fake = join(dir, 'ipmitool');
  writeFileSync(fake, '#!/bin/sh\nprintf "Sensor | 01h | ok\\nother junk\\n"\n', { mode: 0o755 });
  await assert.rejects(readIpmi(fake, new AbortController().signal), /ipmitool output not understood: 2 line\(s\).*Sensor \| 01h \| ok/);
  writeFileSync(fake, '#!/bin/sh\nprintf "CPU Temp,45,degrees C,ok\\nDIMM,,,ns\\n"\n', { mode: 0o755 });
  assert.equal((await readIpmi(fake, new AbortController().signal)).filter((o) => o.metric === 'hw.temperature').length, 1);
});
