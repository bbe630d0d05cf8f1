// Collector self-health: sources, errors, retries, drops, OTLP export, CPU and memory overhead.
import { dashboard, prom, stat, timeseries } from '../model.js';
import { SOURCE_UP } from '../queries.js';

export const CPU_SHARE = 'sum by (job, instance) (rate(process_cpu_time_seconds_total{service_name="hmx-collector"}[5m]))';

export const collectorHealth = dashboard({
  uid: 'hmx-collector-health',
  title: 'Collector self-health',
  description: 'The hmx-collector itself: per-source health, collection errors and retries, dropped records, OTLP export, CPU and memory.',
  tags: ['harmonix', 'collector'],
  rows: [
    [
      stat('Sources', [prom('A', SOURCE_UP, '{{hmx_source}}', true)], {
        w: 12,
        mappings: [
          ['1', 'OK', 'green'],
          ['0', 'FAILING', 'red'],
        ],
        steps: [
          [null, 'red'],
          [1, 'green'],
        ],
      }),
      stat('CPU (share of one core)', [prom('A', CPU_SHARE, '{{instance}}', true)], {
        unit: 'percentunit',
        steps: [
          [null, 'green'],
          [0.05, 'red'],
        ],
      }),
      stat('Resident memory', [prom('A', 'max by (instance) (process_memory_usage_bytes)', '{{instance}}', true)], { unit: 'bytes', colorMode: 'value' }),
    ],
    [
      timeseries(
        'Collection errors',
        [prom('A', 'sum by (hmx_source, error_type) (rate(hmx_collector_collection_errors_total[5m]))', '{{hmx_source}} {{error_type}}')],
        { unit: 'ops' },
      ),
      timeseries('Retries', [prom('A', 'sum by (hmx_source) (rate(hmx_collector_collection_retries_total[5m]))', '{{hmx_source}}')], { unit: 'ops' }),
    ],
    [
      timeseries(
        'Collection duration p95',
        [prom('A', 'histogram_quantile(0.95, sum by (le, hmx_source) (rate(hmx_collector_collection_duration_seconds_bucket[5m])))', '{{hmx_source}}')],
        { unit: 's' },
      ),
      timeseries('Dropped records', [
        prom('A', 'sum by (hmx_source, hmx_drop_reason) (increase(hmx_collector_frames_dropped_total[5m]))', '{{hmx_source}} {{hmx_drop_reason}}'),
      ]),
    ],
    [
      timeseries(
        'OTLP exports',
        [
          prom('A', 'max by (hmx_signal) (rate(hmx_collector_export_successes_total[5m]))', 'ok {{hmx_signal}}'),
          prom('B', 'max by (hmx_signal) (rate(hmx_collector_export_failures_total[5m]))', 'failed {{hmx_signal}}'),
        ],
        { unit: 'ops' },
      ),
      timeseries('CPU overhead', [prom('A', CPU_SHARE, '{{instance}}')], { unit: 'percentunit', min: 0, thresholdLines: [[0.05, 'red']] }),
    ],
    [
      timeseries('Topology anomalies (rejected transitions)', [
        prom('A', 'sum by (hmx_anomaly_reason) (increase(hmx_collector_topology_anomalies_total[5m]))', '{{hmx_anomaly_reason}}'),
      ]),
      timeseries('Topology size', [
        prom('A', 'count(hmx_node_up)', 'nodes'),
        prom('B', 'count(hmx_actor_up)', 'actors'),
        prom('C', 'count(hmx_flow_messages_total)', 'flows'),
      ]),
    ],
  ],
});
