// Temperatures, fans and alarms straight from the kernel's hwmon sysfs: a few small file reads per collection,
// where spawning a shell per call (as systeminformation does on Linux) would dominate the collector's CPU at 1 s.
import { readdir, readFile } from 'node:fs/promises';
import type { Observation } from '../../core/observation.js';
import { statusObservations } from './status.js';

const read = (p: string) => readFile(p, 'utf8').then((s) => s.trim()).catch(() => undefined);

interface Channel {
  kind: 'temp' | 'fan';
  index: string;
}

function channels(files: string[]): Channel[] {
  const out: Channel[] = [];
  for (const f of files) {
    const m = /^(temp|fan)(\d+)_input$/.exec(f);
    if (m) out.push({ kind: m[1] as Channel['kind'], index: m[2]! });
  }
  return out.sort((a, b) => (a.kind === b.kind ? Number(a.index) - Number(b.index) : a.kind < b.kind ? -1 : 1));
}

export async function readHwmon(root = '/sys/class/hwmon'): Promise<Observation[]> {
  const chips = await readdir(root).catch(() => [] as string[]);
  const out: Observation[] = [];
  for (const chip of chips.sort()) {
    const dir = `${root}/${chip}`;
    const files = await readdir(dir).catch(() => [] as string[]);
    const chipName = (await read(`${dir}/name`)) ?? chip;
    for (const { kind, index } of channels(files)) {
      const raw = Number(await read(`${dir}/${kind}${index}_input`));
      if (!Number.isFinite(raw)) continue;
      const label = await read(`${dir}/${kind}${index}_label`);
      const isTemp = kind === 'temp';
      const attributes = {
        'hw.id': `${chip}_${kind}${index}`,
        'hw.name': label ?? `${chipName} ${kind}${index}`,
        'hw.type': isTemp ? 'temperature' : 'fan',
        ...(isTemp && { 'hw.sensor_location': chipName }),
      };
      // hwmon reports millidegrees Celsius and plain rpm.
      out.push({ metric: isTemp ? 'hw.temperature' : 'hw.fan.speed', value: isTemp ? raw / 1000 : raw, attributes });
      const { 'hw.sensor_location': _location, ...statusAttributes } = attributes as Record<string, string>;
      // Only where the chip reports an alarm do we have a real status; none is derived from thresholds.
      const alarm = await read(`${dir}/${kind}${index}_alarm`);
      const critical = isTemp ? await read(`${dir}/temp${index}_crit_alarm`) : undefined;
      if (critical === '1') out.push(...statusObservations(statusAttributes, 'failed'));
      else if (alarm !== undefined || critical !== undefined) out.push(...statusObservations(statusAttributes, alarm === '1' ? 'degraded' : 'ok'));
    }
  }
  return out;
}
