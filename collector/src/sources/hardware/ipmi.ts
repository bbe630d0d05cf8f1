// IPMI sensors via `ipmitool -c sdr list full`, parsed the way upstream prints CSV (lib/ipmi_sdr.c,
// ipmi_sdr_print_sensor_fc and print_csv_discrete):
//   threshold sensor, reading:     name,<value>,<unit>,<status>         e.g. `CPU Temp,45,degrees C,ok`
//   threshold sensor, no reading:  name,,,ns
//   discrete sensor:               name,<NN>h,<ok|ns>,<entity>,<states…>  (no reading to export)
//   discrete sensor with a value:  name,<value>,<unit>,ok,<entity>,<states…>
// Status is ok/nc/cr/nr, or lnc/unc/lcr/ucr/lnr/unr under `elist`; both are understood.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Observation } from '../../core/observation.js';
import type { ErrorCounts } from './errors.js';
import type { HwState } from './metrics.js';
import { statusObservations } from './status.js';

const run = promisify(execFile);

const STATE: Record<string, HwState | undefined> = {
  ok: 'ok',
  nc: 'degraded',
  lnc: 'degraded',
  unc: 'degraded',
  cr: 'failed',
  lcr: 'failed',
  ucr: 'failed',
  nr: 'failed',
  lnr: 'failed',
  unr: 'failed',
};
const THRESHOLD_STATUS = new Set([...Object.keys(STATE), 'ns']);
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const ENTITY = /^\d+\.\d+$/;

/** A reading in a unit we export: hw.temperature in °C or hw.fan.speed in rpm; anything else is not ours. */
function reading(value: string, unit: string): { metric: 'hw.temperature' | 'hw.fan.speed'; value: number } | undefined {
  if (!NUMBER.test(value)) return undefined;
  const n = Number(value);
  if (unit === 'degrees C') return { metric: 'hw.temperature', value: n };
  if (unit === 'degrees F') return { metric: 'hw.temperature', value: ((n - 32) * 5) / 9 };
  if (unit === 'RPM') return { metric: 'hw.fan.speed', value: n };
  return undefined;
}

export interface IpmiParse {
  observations: Observation[];
  /** Lines in the layout above (exported or not), and lines in no known layout. */
  recognised: number;
  unparseable: number;
}

export function parseIpmiSdr(csv: string, errors: ErrorCounts): IpmiParse {
  const out: Observation[] = [];
  let recognised = 0;
  let unparseable = 0;
  errors.present('ipmi');
  for (const line of csv.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split(',').map((s) => s.trim());
    const [name, a = '', b = '', c = '', d = ''] = f;
    const threshold = f.length === 4 && THRESHOLD_STATUS.has(c) && (NUMBER.test(a) || (a === '' && c === 'ns'));
    const discrete = f.length >= 4 && /^[0-9A-F]{2}h$/i.test(a) && (b === 'ok' || b === 'ns') && ENTITY.test(c);
    const discreteValue = f.length >= 5 && NUMBER.test(a) && c === 'ok' && ENTITY.test(d);
    if (!name || !(threshold || discrete || discreteValue)) {
      unparseable++;
      errors.add({ 'hw.id': 'ipmi', 'error.type': 'unparseable_line' });
      continue;
    }
    recognised++;
    const r = discrete ? undefined : reading(a, b);
    if (!r) continue;
    const type = r.metric === 'hw.temperature' ? 'temperature' : 'fan';
    const attributes = { 'hw.id': `ipmi_${name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`, 'hw.name': name, 'hw.type': type };
    out.push({ metric: r.metric, value: r.value, attributes });
    // A discrete sensor's "ok" is ipmitool's constant, not a threshold state.
    const state = threshold ? STATE[c] : undefined;
    if (state) out.push(...statusObservations(attributes, state));
  }
  return { observations: out, recognised, unparseable };
}

export async function readIpmi(binary: string, signal: AbortSignal, errors: ErrorCounts): Promise<IpmiParse> {
  const { stdout } = await run(binary, ['-c', 'sdr', 'list', 'full'], { signal, timeout: 10000 });
  return parseIpmiSdr(stdout, errors);
}
