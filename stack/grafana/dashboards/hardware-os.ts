// Hardware & OS: the os and hardware sources (OTel semantic-convention system.* and hw.* metrics).
import { dashboard, prom, stat, timeseries } from '../model.js';

export const hardwareOs = dashboard({
  uid: 'hmx-hardware-os',
  title: 'Hardware & OS',
  description: 'Hosts running an hmx-collector: CPU, load, memory, disks, network, temperatures and fans.',
  tags: ['harmonix', 'hardware', 'os'],
  rows: [
    [
      stat('Uptime', [prom('A', 'max by (host_name) (system_uptime_seconds)', '{{host_name}}', true)], { unit: 's', colorMode: 'value' }),
      stat('Logical CPUs', [prom('A', 'max by (host_name) (system_cpu_logical_count)', '{{host_name}}', true)], { colorMode: 'value' }),
      stat('Memory total', [prom('A', 'max by (host_name) (system_memory_limit_bytes)', '{{host_name}}', true)], { unit: 'bytes', colorMode: 'value' }),
      stat('Hardware status not OK', [prom('A', 'count by (host_name) (hw_status{hw_state!="ok"} == 1)', '{{host_name}}', true)], {
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
      }),
    ],
    [
      timeseries('CPU busy', [prom('A', '1 - avg by (host_name) (system_cpu_utilization_ratio{cpu_mode="idle"})', '{{host_name}}')], {
        unit: 'percentunit',
        min: 0,
        max: 1,
      }),
      timeseries('Load average (1m, 5m, 15m)', [
        prom('A', 'max by (host_name) (system_cpu_load_average_1m)', '{{host_name}} 1m'),
        prom('B', 'max by (host_name) (system_cpu_load_average_5m)', '{{host_name}} 5m'),
        prom('C', 'max by (host_name) (system_cpu_load_average_15m)', '{{host_name}} 15m'),
      ]),
    ],
    [
      timeseries(
        'Memory used',
        [
          prom(
            'A',
            'sum by (host_name) (system_memory_usage_bytes{system_memory_state="used"}) / max by (host_name) (system_memory_limit_bytes)',
            '{{host_name}}',
          ),
        ],
        { unit: 'percentunit', min: 0, max: 1 },
      ),
      timeseries(
        'Filesystem used',
        [prom('A', 'max by (host_name, system_filesystem_mountpoint) (system_filesystem_utilization_ratio)', '{{host_name}} {{system_filesystem_mountpoint}}')],
        { unit: 'percentunit', min: 0, max: 1, thresholdLines: [[0.9, 'red']] },
      ),
    ],
    [
      timeseries(
        'Disk I/O',
        [prom('A', 'sum by (host_name, disk_io_direction) (rate(system_disk_io_bytes_total[5m]))', '{{host_name}} {{disk_io_direction}}')],
        { unit: 'Bps' },
      ),
      timeseries(
        'Network I/O',
        [prom('A', 'sum by (host_name, network_io_direction) (rate(system_network_io_bytes_total[5m]))', '{{host_name}} {{network_io_direction}}')],
        { unit: 'Bps' },
      ),
    ],
    [
      timeseries('Temperatures', [prom('A', 'max by (host_name, hw_name) (hw_temperature_celsius)', '{{host_name}} {{hw_name}}')], { unit: 'celsius' }),
      timeseries('Fan speeds', [prom('A', 'max by (host_name, hw_name) (hw_fan_speed_rpm)', '{{host_name}} {{hw_name}}')], { unit: 'rotrpm' }),
    ],
  ],
});
