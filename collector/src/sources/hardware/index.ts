// Hardware source: temperatures, fans and alarms (hwmon on Linux, systeminformation elsewhere) and IPMI sensors when configured.
import { access, constants } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { Observation } from '../../core/observation.js';
import type { Source, SourceFactory } from '../../core/source.js';
import { readHwmon } from './hwmon.js';
import { readIpmi } from './ipmi.js';
import { hardwareMetrics } from './metrics.js';
import { readTemperatures } from './temperatures.js';

const configSchema = Type.Object(
  {
    ipmi: Type.Boolean(),
    ipmitoolPath: Type.String({ minLength: 1 }),
    hwmonRoot: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export interface HardwareConfig {
  ipmi: boolean;
  ipmitoolPath: string;
  hwmonRoot: string;
}

class HardwareSource implements Source {
  readonly name = 'hardware';
  readonly layer = 'hardware' as const;
  readonly metrics = hardwareMetrics;

  constructor(private readonly config: HardwareConfig) {}

  async start(ctx: Parameters<NonNullable<Source['start']>>[0]): Promise<void> {
    if (this.config.ipmi && !(await access(this.config.ipmitoolPath, constants.X_OK).then(() => true, () => false))) {
      ctx.logger.warn({ path: this.config.ipmitoolPath }, 'sources.hardware.ipmi is on but ipmitool is not executable; IPMI sensors skipped');
      this.config.ipmi = false;
    }
  }

  async collect(_ctx: unknown, signal: AbortSignal): Promise<{ observations: Observation[] }> {
    const [sensors, ipmi] = await Promise.all([
      // Linux: hwmon sysfs directly. Elsewhere systeminformation knows the platform's way.
      process.platform === 'linux' ? readHwmon(this.config.hwmonRoot) : readTemperatures(),
      this.config.ipmi ? readIpmi(this.config.ipmitoolPath, signal) : Promise.resolve([]),
    ]);
    return { observations: [...sensors, ...ipmi] };
  }
}

export const hardwareSource: SourceFactory<HardwareConfig> = {
  name: 'hardware',
  layer: 'hardware',
  configSchema,
  defaults: { ipmi: false, ipmitoolPath: '/usr/bin/ipmitool', hwmonRoot: '/sys/class/hwmon' },
  create: (config) => new HardwareSource({ ...config }),
};
