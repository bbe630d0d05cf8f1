// IPMI sensors via `ipmitool -c sdr elist full` when configured and installed. The CSV layout is the one upstream
// ipmitool prints (lib/ipmi_sdr.c, ipmi_sdr_print_sensor_fc with csv_output):
//   threshold sensor   name,reading,unit,status      e.g. "CPU Temp,45,degrees C,ok"
//   no reading         name,,,ns
//   discrete sensor    name,<NN>h,ok|ns,<entity>,<states>   (or name,<value>,<unit>,ok,<entity>,<states>)
//   event-only         name,<NN>h,ns,<entity>,Event-Only
// With `elist` the threshold status is ok, lnc/unc (non-critical), lcr/ucr (critical), lnr/unr (non-recoverable),
// or ns; plain `list` prints nc/cr/nr instead, which are accepted too.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Observation } from '../../core/observation.js';
import type { HwState } from './metrics.js';
import { statusObservations } from './status.js';

const run = promisify(execFile);

const STATE: Record<string, HwState | undefined> = {
  ok: 'ok',
  nc: 'degraded', lnc: 'degraded', unc: 'degraded',
  cr: 'failed', lcr: 'failed', ucr: 'failed',
  nr: 'failed', lnr: 'failed', unr: 'failed',
};
const METRIC: Record<string, { metric: string; type: string } | undefined> = {
  'degrees c': { metric: 'hw.temperature', type: 'temperature' },
  rpm: { metric: 'hw.fan.speed', type: 'fan' },
};

export type IpmiSkip = 'no_reading' | 'discrete' | 'other_unit' | 'unparseable';

export interface IpmiReading {
  observations: Observation[];
  /** Lines that gave no temperature or fan reading, by why. */
  skipped: Record<IpmiSkip, number>;
  /** The first line that could not be parsed (for the error message). */
  firstUnparseable?: string;
}

export function parseIpmiSdr(csv: string): IpmiReading {
  const reading: IpmiReading = { observations: [], skipped: { no_reading: 0, discrete: 0, other_unit: 0, unparseable: 0 } };
  for (const raw of csv.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const fields = line.split(',').map((s) => s.trim());
    const [name, value, unit, status] = fields;
    if (!name || fields.length < 4) {
      reading.skipped.unparseable++;
      reading.firstUnparseable ??= line;
      continue;
    }
    if (/^[0-9A-F]{2}h$/i.test(value ?? '') || fields.length > 4) {
      reading.skipped[unit === 'ns' || status === 'ns' ? 'no_reading' : 'discrete']++;
      continue;
    }
    if (status === 'ns' || value === '') {
      reading.skipped.no_reading++;
      continue;
    }
    const state = STATE[status ?? ''];
    if (!/^-?\d+(\.\d+)?$/.test(value ?? '') || state === undefined) {
      reading.skipped.unparseable++;
      reading.firstUnparseable ??= line;
      continue;
    }
    const kind = METRIC[(unit ?? '').toLowerCase()];
    if (!kind) {
      reading.skipped.other_unit++;
      continue;
    }
    const attributes = { 'hw.id': `ipmi_${name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`, 'hw.name': name, 'hw.type': kind.type };
    reading.observations.push({ metric: kind.metric, value: Number(value), attributes }, ...statusObservations(attributes, state));
  }
  return reading;
}

/** Reads the sensors; output of which no line parses is an error naming the first line, not an empty success. */
export async function readIpmi(binary: string, signal: AbortSignal): Promise<Observation[]> {
  const { stdout } = await run(binary, ['-c', 'sdr', 'elist', 'full'], { signal, timeout: 10000 });
  const reading = parseIpmiSdr(stdout);
  const parsed = reading.observations.length > 0 || Object.entries(reading.skipped).some(([why, n]) => why !== 'unparseable' && n > 0);
  if (!parsed && reading.skipped.unparseable > 0) {
    throw new Error(`ipmitool output not understood: ${reading.skipped.unparseable} line(s), none in the CSV layout ipmitool prints (first: ${JSON.stringify(reading.firstUnparseable!.slice(0, 120))})`);
  }
  return reading.observations;
}
