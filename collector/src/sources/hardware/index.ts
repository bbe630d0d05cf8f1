// Hardware source: temperatures (systeminformation), fans and alarms (hwmon), and IPMI sensors when configured.
import { access, constants } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { Observation } from '../../core/observation.js';
import type { Source, SourceFactory } from '../../core/source.js';
import { readHwmonFans } from './hwmon.js';
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
    const [temps, fans, ipmi] = await Promise.all([
      readTemperatures(),
      readHwmonFans(this.config.hwmonRoot),
      this.config.ipmi ? readIpmi(this.config.ipmitoolPath, signal) : Promise.resolve([]),
    ]);
    return { observations: [...temps, ...fans, ...ipmi] };
  }
}

export const hardwareSource: SourceFactory<HardwareConfig> = {
  name: 'hardware',
  layer: 'hardware',
  configSchema,
  defaults: { ipmi: false, ipmitoolPath: '/usr/bin/ipmitool', hwmonRoot: '/sys/class/hwmon' },
  create: (config) => new HardwareSource({ ...config }),
};
