// Hardware source: temperatures, fans, their limits and alarms (hwmon on Linux, systeminformation elsewhere) and IPMI sensors when configured.
import { access, constants } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import type { Observation } from '../../core/observation.js';
import type { Source, SourceContext, SourceFactory } from '../../core/source.js';
import { throttledWarn } from '../../core/throttled-log.js';
import { ErrorCounts } from './errors.js';
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
export type HardwareConfig = Static<typeof configSchema>;

class HardwareSource implements Source {
  readonly name = 'hardware';
  readonly layer = 'hardware' as const;
  readonly metrics = hardwareMetrics;

  private readonly errors = new ErrorCounts();
  private warn?: ReturnType<typeof throttledWarn>;

  constructor(private readonly config: HardwareConfig) {}

  async start(ctx: SourceContext): Promise<void> {
    if (
      this.config.ipmi &&
      !(await access(this.config.ipmitoolPath, constants.X_OK).then(
        () => true,
        () => false,
      ))
    ) {
      ctx.logger.warn({ path: this.config.ipmitoolPath }, 'sources.hardware.ipmi is on but ipmitool is not executable; IPMI sensors skipped');
      this.config.ipmi = false;
    }
  }

  problems() {
    return this.errors.cycleProblems();
  }

  async collect(ctx: SourceContext, signal: AbortSignal): Promise<{ observations: Observation[] }> {
    this.errors.beginCycle();
    const [sensors, ipmi] = await Promise.all([
      // Linux: hwmon sysfs directly. Elsewhere systeminformation knows the platform's way.
      process.platform === 'linux' ? readHwmon(this.config.hwmonRoot, this.errors) : readTemperatures(),
      this.config.ipmi ? readIpmi(this.config.ipmitoolPath, signal, this.errors) : undefined,
    ]);
    const problems = this.errors.cycleProblems();
    if (problems)
      (this.warn ??= throttledWarn(ctx.logger))(
        'read',
        { ...problems },
        `hardware: ${problems.failed} sensor reads or ipmitool lines failed this collection (counted in hw.errors, listed in /status)`,
      );
    // ipmitool answered, but in no layout it documents: that is a broken source, not an empty one.
    if (ipmi && ipmi.recognised === 0 && ipmi.unparseable > 0) {
      throw Object.assign(new Error(`ipmitool -c sdr list full printed ${ipmi.unparseable} lines, none as name,reading,unit,status`), {
        code: 'IPMI_UNPARSEABLE',
      });
    }
    return { observations: [...sensors, ...(ipmi?.observations ?? []), ...this.errors.observations()] };
  }
}

export const hardwareSource: SourceFactory<HardwareConfig> = {
  name: 'hardware',
  layer: 'hardware',
  configSchema,
  defaults: { ipmi: false, ipmitoolPath: '/usr/bin/ipmitool', hwmonRoot: '/sys/class/hwmon' },
  enabledByDefault: true,
  defaultInterval: '30s',
  create: (config) => new HardwareSource({ ...config }),
};
