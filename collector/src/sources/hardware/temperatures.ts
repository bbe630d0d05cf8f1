// CPU and chipset temperatures through systeminformation. A sensor the host lacks yields no series, never a zero.
import type { Systeminformation } from 'systeminformation';
import type { Observation } from '../../core/observation.js';

type CpuTemperature = Systeminformation.CpuTemperatureData;

const valid = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > -60 && v < 200;

export function temperatureObservations(t: CpuTemperature): Observation[] {
  const out: Observation[] = [];
  const add = (id: string, name: string, location: string, value: unknown) => {
    if (valid(value)) {
      out.push({ metric: 'hw.temperature', value, attributes: { 'hw.id': id, 'hw.name': name, 'hw.type': 'temperature', 'hw.sensor_location': location } });
    }
  };
  add('cpu_package', 'CPU package', 'cpu', t.main);
  t.cores?.forEach((v, i) => add(`cpu_core_${i}`, `CPU core ${i}`, 'cpu', v));
  t.socket?.forEach((v, i) => add(`cpu_socket_${i}`, `CPU socket ${i}`, 'cpu', v));
  add('chipset', 'Chipset', 'chipset', t.chipset);
  return out;
}

/** Loaded on first use: on Linux the source reads hwmon itself and never pays for the library. */
export async function readTemperatures(): Promise<Observation[]> {
  const si = (await import('systeminformation')).default;
  return temperatureObservations(await si.cpuTemperature());
}
