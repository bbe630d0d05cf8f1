// Fans and alarms straight from the kernel's hwmon sysfs (systeminformation reads no fans on Linux).
import { readdir, readFile } from 'node:fs/promises';
import type { Observation } from '../../core/observation.js';
import { statusObservations } from './status.js';

const read = (p: string) => readFile(p, 'utf8').then((s) => s.trim()).catch(() => undefined);

export async function readHwmonFans(root = '/sys/class/hwmon'): Promise<Observation[]> {
  const chips = await readdir(root).catch(() => [] as string[]);
  const out: Observation[] = [];
  for (const chip of chips) {
    const dir = `${root}/${chip}`;
    const files = await readdir(dir).catch(() => [] as string[]);
    const chipName = (await read(`${dir}/name`)) ?? chip;
    for (const f of files) {
      const m = /^fan(\d+)_input$/.exec(f);
      if (!m) continue;
      const rpm = Number(await read(`${dir}/${f}`));
      if (!Number.isFinite(rpm)) continue;
      const id = `${chip}_fan${m[1]}`;
      const name = (await read(`${dir}/fan${m[1]}_label`)) ?? `${chipName} fan${m[1]}`;
      const attributes = { 'hw.id': id, 'hw.name': name, 'hw.type': 'fan' };
      out.push({ metric: 'hw.fan.speed', value: rpm, attributes });
      const alarm = await read(`${dir}/fan${m[1]}_alarm`);
      // Only where the chip reports an alarm do we have a real status; no status is invented.
      if (alarm !== undefined) out.push(...statusObservations(attributes, alarm === '0' ? 'ok' : 'degraded'));
    }
  }
  return out;
}
