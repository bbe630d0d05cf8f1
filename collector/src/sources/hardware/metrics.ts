// Hardware metrics per the OpenTelemetry hardware semantic conventions (hw.*).
import type { MetricDescriptor } from '../../core/observation.js';

export const hardwareMetrics = [
  { name: 'hw.temperature', kind: 'gauge', unit: 'Cel', description: 'Temperature reported by a sensor', attributes: ['hw.id', 'hw.name', 'hw.type', 'hw.sensor_location'] },
  { name: 'hw.fan.speed', kind: 'gauge', unit: 'rpm', description: 'Fan speed reported by a sensor', attributes: ['hw.id', 'hw.name', 'hw.type', 'hw.sensor_location'] },
  // A state set as the conventions define it: 1 for the state the component reports, 0 for the others.
  { name: 'hw.status', kind: 'updowncounter', unit: '1', description: 'Operational status reported by the hardware (1 for the current hw.state)', attributes: ['hw.id', 'hw.name', 'hw.type', 'hw.state'] },
] as const satisfies readonly MetricDescriptor[];

export const HW_STATES = ['ok', 'degraded', 'failed'] as const;
export type HwState = (typeof HW_STATES)[number];
