// Temperatures, fans, their limits and alarms straight from the kernel's hwmon sysfs (Documentation/hwmon/
// sysfs-interface.rst): a few small file reads per collection, where spawning a shell per call (as systeminformation
// does on Linux) would dominate the collector's CPU at 1 s.
import { readdir, readFile, realpath } from 'node:fs/promises';
import type { Observation } from '../../core/observation.js';
import { readFailureReason, type ErrorCounts } from './errors.js';
import { hwmonState, type Limit } from './thresholds.js';
import { statusObservations } from './status.js';

const read = (p: string) =>
  readFile(p, 'utf8')
    .then((s) => s.trim())
    .catch(() => undefined);

interface Channel {
  kind: 'temp' | 'fan';
  index: string;
}

// Limit files per channel kind and the semconv hw.limit_type each one is.
const LIMIT_FILES: Record<Channel['kind'], [suffix: string, type: Limit['type']][]> = {
  temp: [
    ['crit', 'high.critical'],
    ['max', 'high.degraded'],
    ['min', 'low.degraded'],
    ['lcrit', 'low.critical'],
  ],
  fan: [
    ['min', 'low.degraded'],
    ['max', 'high.degraded'],
  ],
};
// Alarm files: a set critical one (or a fault) means failed, any other set alarm degraded.
const ALARM_FILES = { failed: ['crit_alarm', 'lcrit_alarm', 'emergency_alarm', 'fault'], degraded: ['alarm', 'max_alarm', 'min_alarm'] };

function channels(files: string[]): Channel[] {
  const out: Channel[] = [];
  for (const f of files) {
    const m = /^(temp|fan)(\d+)_input$/.exec(f);
    if (m) out.push({ kind: m[1] as Channel['kind'], index: m[2]! });
  }
  return out.sort((a, b) => (a.kind === b.kind ? Number(a.index) - Number(b.index) : a.kind < b.kind ? -1 : 1));
}

/**
 * Where the chip lives, independent of the hwmonN number the kernel hands out in probe order: the `device` link's
 * target below /sys/devices (e.g. `pci0000:00/0000:00:18.3`). A chip without a device link (a virtual one) has
 * nothing stable to name it by, so it keeps its hwmonN.
 */
async function devicePath(dir: string, chip: string): Promise<string> {
  const target = await realpath(`${dir}/device`).catch(() => '');
  const at = target.indexOf('/devices/');
  return at >= 0 ? target.slice(at + '/devices/'.length) : chip;
}

async function readNumber(path: string): Promise<number | undefined> {
  const text = await read(path);
  const n = text === undefined || text === '' ? Number.NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export async function readHwmon(root: string, errors: ErrorCounts): Promise<Observation[]> {
  const chips = await readdir(root).catch(() => [] as string[]);
  const out: Observation[] = [];
  for (const chip of chips.sort()) {
    const dir = `${root}/${chip}`;
    const files = await readdir(dir).catch(() => [] as string[]);
    const chipName = (await read(`${dir}/name`)) ?? chip;
    const device = await devicePath(dir, chip);
    for (const { kind, index } of channels(files)) {
      const prefix = `${dir}/${kind}${index}`;
      const isTemp = kind === 'temp';
      const id = `${chipName}@${device}/${kind}${index}`;
      const type = isTemp ? 'temperature' : 'fan';
      errors.present(id);
      const text = await readFile(`${prefix}_input`, 'utf8').then(
        (s) => s.trim(),
        (err: unknown) => ({ reason: readFailureReason(err) }),
      );
      const raw = typeof text === 'string' && text !== '' ? Number(text) : Number.NaN;
      if (!Number.isFinite(raw)) {
        errors.add({ 'hw.id': id, 'hw.type': type, 'error.type': typeof text === 'string' ? 'invalid_value' : text.reason });
        continue;
      }
      // hwmon reports millidegrees Celsius and plain rpm.
      const scale = isTemp ? 1000 : 1;
      const label = await read(`${prefix}_label`);
      const attributes = { 'hw.id': id, 'hw.name': label ?? `${chipName} ${kind}${index}`, 'hw.type': type };
      const value = raw / scale;
      out.push({ metric: isTemp ? 'hw.temperature' : 'hw.fan.speed', value, attributes: { ...attributes, ...(isTemp && { 'hw.sensor_location': chipName }) } });
      const limits: Limit[] = [];
      for (const [suffix, limitType] of LIMIT_FILES[kind]) {
        const v = files.includes(`${kind}${index}_${suffix}`) ? await readNumber(`${prefix}_${suffix}`) : undefined;
        if (v !== undefined) limits.push({ type: limitType, value: v / scale });
      }
      for (const l of limits)
        out.push({ metric: isTemp ? 'hw.temperature.limit' : 'hw.fan.speed.limit', value: l.value, attributes: { ...attributes, 'hw.limit_type': l.type } });
      const alarms = async (names: string[]) => Promise.all(names.filter((n) => files.includes(`${kind}${index}_${n}`)).map((n) => read(`${prefix}_${n}`)));
      const state = hwmonState(value, limits, { failed: await alarms(ALARM_FILES.failed), degraded: await alarms(ALARM_FILES.degraded) });
      if (state) out.push(...statusObservations(attributes, state));
    }
  }
  return out;
}
