import assert from 'node:assert/strict';
import { test } from 'node:test';
import { temperatureObservations } from '../../../src/sources/hardware/temperatures.js';

test('temperatures: present sensors become hw.temperature; absent ones produce no series (never a zero)', () => {
  const obs = temperatureObservations({ main: 48.5, cores: [47, 49], max: 49, socket: [], chipset: null } as never);
  assert.deepEqual(
    obs.map((o) => [o.attributes!['hw.id'], o.value]),
    [
      ['cpu_package', 48.5],
      ['cpu_core_0', 47],
      ['cpu_core_1', 49],
    ],
  );
  assert.ok(obs.every((o) => o.metric === 'hw.temperature' && o.attributes!['hw.type'] === 'temperature'));
  assert.deepEqual(temperatureObservations({ main: null, cores: [], max: null, socket: [], chipset: null } as never), []);
  assert.deepEqual(temperatureObservations({ main: -999, cores: [Number.NaN], max: null } as never), [], 'implausible readings dropped');
});
