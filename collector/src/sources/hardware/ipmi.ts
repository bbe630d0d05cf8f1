// IPMI sensors via `ipmitool -c sdr elist full` (CSV: name,id,status,entity,reading) when configured and installed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Observation } from '../../core/observation.js';
import type { HwState } from './metrics.js';
import { statusObservations } from './status.js';

const run = promisify(execFile);

// IPMI sensor status codes: ok, nc (non-critical), cr (critical), nr (non-recoverable), ns (no reading).
const STATE: Record<string, HwState | undefined> = { ok: 'ok', nc: 'degraded', cr: 'failed', nr: 'failed' };

export function parseIpmiSdr(csv: string): Observation[] {
  const out: Observation[] = [];
  for (const line of csv.split('\n')) {
    const [name, sensorId, status, , reading] = line.split(',').map((s) => s.trim());
    if (!name || !reading || status === 'ns') continue;
    const m = /^(-?\d+(?:\.\d+)?)\s+(degrees C|RPM)$/i.exec(reading);
    if (!m) continue;
    const isTemp = m[2]!.toLowerCase() === 'degrees c';
    const attributes = {
      'hw.id': `ipmi_${(sensorId ?? name).replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`,
      'hw.name': name,
      'hw.type': isTemp ? 'temperature' : 'fan',
    };
    out.push({ metric: isTemp ? 'hw.temperature' : 'hw.fan.speed', value: Number(m[1]), attributes });
    const state = STATE[status ?? ''];
    if (state) out.push(...statusObservations(attributes, state));
  }
  return out;
}

export async function readIpmi(binary: string, signal: AbortSignal): Promise<Observation[]> {
  const { stdout } = await run(binary, ['-c', 'sdr', 'elist', 'full'], { signal, timeout: 10000 });
  return parseIpmiSdr(stdout);
}
