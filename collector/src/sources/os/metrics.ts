// The OS source's metrics, named and shaped per the OpenTelemetry system semantic conventions.
import type { MetricDescriptor } from '../../core/observation.js';

export const osMetrics = [
  {
    name: 'system.cpu.utilization',
    kind: 'gauge',
    unit: '1',
    description: 'Share of CPU time per mode since the previous collection (all CPUs)',
    attributes: ['cpu.mode'],
  },
  { name: 'system.cpu.time', kind: 'counter', unit: 's', description: 'CPU time per mode, summed over all CPUs', attributes: ['cpu.mode'] },
  { name: 'system.cpu.logical.count', kind: 'updowncounter', unit: '{cpu}', description: 'Logical CPUs', attributes: [] },
  { name: 'system.memory.usage', kind: 'updowncounter', unit: 'By', description: 'Memory in use per state', attributes: ['system.memory.state'] },
  { name: 'system.memory.utilization', kind: 'gauge', unit: '1', description: 'Share of memory per state', attributes: ['system.memory.state'] },
  { name: 'system.memory.limit', kind: 'updowncounter', unit: 'By', description: 'Total memory', attributes: [] },
  // Load average has no semantic convention; these are the OTel Collector hostmetrics names. The unit says what is
  // averaged (runnable threads) and keeps Prometheus from appending a misleading `_ratio`.
  { name: 'system.cpu.load_average.1m', kind: 'gauge', unit: '{thread}', description: 'Load average over 1 minute', attributes: [] },
  { name: 'system.cpu.load_average.5m', kind: 'gauge', unit: '{thread}', description: 'Load average over 5 minutes', attributes: [] },
  { name: 'system.cpu.load_average.15m', kind: 'gauge', unit: '{thread}', description: 'Load average over 15 minutes', attributes: [] },
  { name: 'system.uptime', kind: 'gauge', unit: 's', description: 'Time since boot', attributes: [] },
  { name: 'system.disk.io', kind: 'counter', unit: 'By', description: 'Disk bytes read and written', attributes: ['system.device', 'disk.io.direction'] },
  {
    name: 'system.disk.operations',
    kind: 'counter',
    unit: '{operation}',
    description: 'Disk operations completed',
    attributes: ['system.device', 'disk.io.direction'],
  },
  {
    name: 'system.filesystem.usage',
    kind: 'updowncounter',
    unit: 'By',
    description: 'Filesystem space per state',
    attributes: ['system.device', 'system.filesystem.state', 'system.filesystem.type', 'system.filesystem.mode', 'system.filesystem.mountpoint'],
  },
  {
    name: 'system.filesystem.utilization',
    kind: 'gauge',
    unit: '1',
    description: 'Share of filesystem space used',
    attributes: ['system.device', 'system.filesystem.type', 'system.filesystem.mode', 'system.filesystem.mountpoint'],
  },
  {
    name: 'system.network.io',
    kind: 'counter',
    unit: 'By',
    description: 'Bytes received and transmitted per interface',
    attributes: ['network.interface.name', 'network.io.direction'],
  },
] as const satisfies readonly MetricDescriptor[];
