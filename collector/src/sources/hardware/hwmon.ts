// Temperatures, fans, their limits and alarms straight from the kernel's hwmon sysfs (Documentation/hwmon/
// sysfs-interface.rst): a few small file reads per collection, where spawning a shell per call (as systeminformation
// does on Linux) would dominate the collector's CPU at 1 s. Read synchronously, like /proc (os/procfs.ts): sysfs
// attributes come from driver memory, and a thread-pool round trip per file would cost several times the read.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import type { Observation } from '../../core/observation.js';
import { readFailureReason, type ErrorCounts } from './errors.js';
import { hwmonState, type Limit } from './thresholds.js';
import { statusObservations } from './status.js';

/** The file's trimmed text, or the error it failed with. */
function readText(path: string): string | { error: unknown } {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    return { error };
  }
}

const read = (path: string): string | undefined => {
  const text = readText(path);
  return typeof text === 'string' ? text : undefined;
};

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

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
function devicePath(dir: string, chip: string): string {
  let target = '';
  try {
    target = realpathSync(`${dir}/device`);
  } catch {
    // no device link: a virtual chip
  }
  const at = target.indexOf('/devices/');
  return at >= 0 ? target.slice(at + '/devices/'.length) : chip;
}

function readNumber(path: string): number | undefined {
  const text = read(path);
  const n = text === undefined || text === '' ? Number.NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export async function readHwmon(root: string, errors: ErrorCounts): Promise<Observation[]> {
  const chips = list(root);
  const out: Observation[] = [];
  for (const chip of chips.sort()) {
    const dir = `${root}/${chip}`;
    const files = list(dir);
    const chipName = read(`${dir}/name`) ?? chip;
    const device = devicePath(dir, chip);
    for (const { kind, index } of channels(files)) {
      const prefix = `${dir}/${kind}${index}`;
      const isTemp = kind === 'temp';
      const id = `${chipName}@${device}/${kind}${index}`;
      const type = isTemp ? 'temperature' : 'fan';
      errors.present(id);
      const text = readText(`${prefix}_input`);
      const raw = typeof text === 'string' && text !== '' ? Number(text) : Number.NaN;
      if (!Number.isFinite(raw)) {
        errors.add({ 'hw.id': id, 'hw.type': type, 'error.type': typeof text === 'string' ? 'invalid_value' : readFailureReason(text.error) });
        continue;
      }
      // hwmon reports millidegrees Celsius and plain rpm.
      const scale = isTemp ? 1000 : 1;
      const label = read(`${prefix}_label`);
      const attributes = { 'hw.id': id, 'hw.name': label ?? `${chipName} ${kind}${index}`, 'hw.type': type };
      const value = raw / scale;
      out.push({ metric: isTemp ? 'hw.temperature' : 'hw.fan.speed', value, attributes: { ...attributes, ...(isTemp && { 'hw.sensor_location': chipName }) } });
      const limits: Limit[] = [];
      for (const [suffix, limitType] of LIMIT_FILES[kind]) {
        const v = files.includes(`${kind}${index}_${suffix}`) ? readNumber(`${prefix}_${suffix}`) : undefined;
        if (v !== undefined) limits.push({ type: limitType, value: v / scale });
      }
      for (const l of limits)
        out.push({ metric: isTemp ? 'hw.temperature.limit' : 'hw.fan.speed.limit', value: l.value, attributes: { ...attributes, 'hw.limit_type': l.type } });
      const alarms = (names: string[]) => names.filter((n) => files.includes(`${kind}${index}_${n}`)).map((n) => read(`${prefix}_${n}`));
      const state = hwmonState(value, limits, { failed: alarms(ALARM_FILES.failed), degraded: alarms(ALARM_FILES.degraded) });
      if (state) out.push(...statusObservations(attributes, state));
    }
  }
  return out;
}
