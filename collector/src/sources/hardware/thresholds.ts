// hw.status for a hwmon channel. Alarm files win where the chip has them; where it has none, the reading is compared
// with the channel's own limits (what `sensors` flags as ALARM): beyond a critical limit → failed, beyond a
// degraded one (max/min) → degraded, within all → ok. No alarm file and no limit → no status at all.
import type { HwState } from './metrics.js';

export interface Limit {
  type: 'high.critical' | 'high.degraded' | 'low.critical' | 'low.degraded';
  value: number;
}

export function hwmonState(value: number, limits: Limit[], alarms: { failed: (string | undefined)[]; degraded: (string | undefined)[] }): HwState | undefined {
  const present = [...alarms.failed, ...alarms.degraded].filter((a) => a !== undefined);
  if (present.length > 0) return alarms.failed.includes('1') ? 'failed' : alarms.degraded.includes('1') ? 'degraded' : 'ok';
  if (limits.length === 0) return undefined;
  const crossed = (l: Limit) => (l.type.startsWith('high.') ? value > l.value : value < l.value);
  if (limits.some((l) => l.type.endsWith('.critical') && crossed(l))) return 'failed';
  if (limits.some((l) => l.type.endsWith('.degraded') && crossed(l))) return 'degraded';
  return 'ok';
}
