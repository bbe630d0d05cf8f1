// Akash: chain RPC health, the provider's leases, bids and inventory (akash source, hmx.akash.* metrics).
import { dashboard, prom, stat, timeseries } from '../model.js';

// hmx_akash_rpc_slow carries the configured threshold (rpcLatencyThresholdMs), so the rule needs no number of its own.
export const RPC_BAD = 'max by (instance) (hmx_akash_rpc_slow or hmx_akash_stale{akash_part="chain"})';
export const LEASE_DROP =
  '(max_over_time(hmx_akash_provider_leases[30m]) - hmx_akash_provider_leases) / clamp_min(max_over_time(hmx_akash_provider_leases[30m]), 1)';

export const akash = dashboard({
  uid: 'hmx-akash',
  title: 'Akash',
  description: 'Akash chain RPC, provider gateway, leases, bids, orders and inventory.',
  tags: ['harmonix', 'akash'],
  rows: [
    [
      stat('RPC', [prom('A', 'min(hmx_akash_rpc_up)', 'rpc', true)], {
        mappings: [
          ['1', 'UP', 'green'],
          ['0', 'DOWN', 'red'],
        ],
        steps: [
          [null, 'red'],
          [1, 'green'],
        ],
      }),
      stat('Chain height', [prom('A', 'max by (akash_chain_id) (hmx_akash_chain_height)', '{{akash_chain_id}}', true)], { colorMode: 'value' }),
      stat('Provider gateway', [prom('A', 'min by (akash_provider) (hmx_akash_provider_up)', '{{akash_provider}}', true)], {
        mappings: [
          ['1', 'UP', 'green'],
          ['0', 'DOWN', 'red'],
        ],
        steps: [
          [null, 'red'],
          [1, 'green'],
        ],
      }),
      stat('Stale data', [prom('A', 'max by (akash_part) (hmx_akash_stale)', '{{akash_part}}', true)], {
        mappings: [
          ['0', 'fresh', 'green'],
          ['1', 'STALE', 'red'],
        ],
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
      }),
    ],
    [
      timeseries(
        'RPC latency p95 by method',
        [prom('A', 'histogram_quantile(0.95, sum by (le, rpc_method) (rate(rpc_client_call_duration_seconds_bucket[5m])))', '{{rpc_method}}')],
        { unit: 's', thresholdLines: [[5, 'red']] },
      ),
      timeseries('RPC requests by outcome', [prom('A', 'sum by (akash_rpc_outcome) (rate(hmx_akash_rpc_requests_total[5m]))', '{{akash_rpc_outcome}}')], {
        unit: 'reqps',
        stack: true,
      }),
    ],
    [
      timeseries('Provider active leases', [prom('A', 'max by (akash_provider) (hmx_akash_provider_leases)', '{{akash_provider}}')]),
      timeseries('Leases on chain by state', [prom('A', 'sum by (akash_lease_state) (hmx_akash_leases)', '{{akash_lease_state}}')], { stack: true }),
    ],
    [
      timeseries('Bids by state', [prom('A', 'sum by (akash_bid_state) (hmx_akash_bids)', '{{akash_bid_state}}')], { stack: true }),
      timeseries(
        'Inventory allocated',
        [
          prom(
            'A',
            'sum by (akash_provider, akash_resource) (hmx_akash_inventory_allocated) / sum by (akash_provider, akash_resource) (hmx_akash_inventory_allocatable)',
            '{{akash_provider}} {{akash_resource}}',
          ),
        ],
        { unit: 'percentunit', min: 0, max: 1 },
      ),
    ],
    [
      timeseries('Data age by part', [prom('A', 'max by (akash_part) (hmx_akash_data_age_seconds)', '{{akash_part}}')], { unit: 's' }),
      timeseries('Read failures', [prom('A', 'sum by (akash_part, error_type) (rate(hmx_akash_read_failures_total[5m]))', '{{akash_part}} {{error_type}}')], {
        unit: 'ops',
      }),
    ],
  ],
});
