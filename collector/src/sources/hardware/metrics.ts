// Hardware metrics per the OpenTelemetry hardware semantic conventions (hw.*).
import type { MetricDescriptor } from '../../core/observation.js';

const sensor = ['hw.id', 'hw.name', 'hw.type', 'hw.sensor_location'] as const;
const limit = ['hw.id', 'hw.name', 'hw.type', 'hw.limit_type'] as const;

export const hardwareMetrics = [
  { name: 'hw.temperature', kind: 'gauge', unit: 'Cel', description: 'Temperature reported by a sensor', attributes: sensor },
  {
    name: 'hw.temperature.limit',
    kind: 'gauge',
    unit: 'Cel',
    description: 'Temperature limit reported by a sensor (hw.limit_type says which)',
    attributes: limit,
  },
  { name: 'hw.fan.speed', kind: 'gauge', unit: 'rpm', description: 'Fan speed reported by a sensor', attributes: sensor },
  { name: 'hw.fan.speed.limit', kind: 'gauge', unit: 'rpm', description: 'Fan speed limit reported by a sensor (hw.limit_type says which)', attributes: limit },
  // A state set as the conventions define it: 1 for the state the component reports, 0 for the others.
  {
    name: 'hw.status',
    kind: 'updowncounter',
    unit: '1',
    description: 'Operational status of a sensor (1 for the current hw.state)',
    attributes: ['hw.id', 'hw.name', 'hw.type', 'hw.state'],
  },
  {
    name: 'hw.errors',
    kind: 'counter',
    unit: '{error}',
    description: 'Sensor reads or ipmitool lines that failed, by error.type',
    attributes: ['hw.id', 'hw.type', 'error.type'],
  },
] as const satisfies readonly MetricDescriptor[];

export const HW_STATES = ['ok', 'degraded', 'failed'] as const;
export type HwState = (typeof HW_STATES)[number];
