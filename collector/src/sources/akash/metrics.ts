// Every metric the akash source reports (nothing in the OTel semantic conventions covers a compute marketplace).
import type { MetricDescriptor } from '../../core/observation.js';

// Booleans are up-down counters with unit "1", as semconv's hw.status: exported as a Prometheus gauge without a `_ratio` suffix.
export const akashMetrics = [
  {
    name: 'hmx.akash.chain.height',
    kind: 'gauge',
    unit: '{block}',
    description: 'Latest block height reported by the RPC node',
    attributes: ['akash.chain_id'],
  },
  { name: 'hmx.akash.chain.block.time', kind: 'gauge', unit: 's', description: 'Time of the latest block (Unix seconds)', attributes: ['akash.chain_id'] },
  {
    name: 'hmx.akash.rpc.up',
    kind: 'updowncounter',
    unit: '1',
    description: '1 when the last chain read succeeded within the latency threshold',
    attributes: [],
  },
  {
    name: 'rpc.client.call.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Duration of each outgoing RPC request, in full (semconv RPC metrics)',
    attributes: ['rpc.system.name', 'rpc.method', 'server.address', 'error.type'],
    // semconv's recommended boundaries for rpc.client.call.duration, extended past the 5 s threshold up to rpcTimeoutMs' range.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 30, 60],
  },
  {
    name: 'hmx.akash.rpc.latency',
    kind: 'gauge',
    unit: 's',
    description: 'Round-trip time of the last RPC request, per JSON-RPC method',
    attributes: ['rpc.method'],
  },
  {
    name: 'hmx.akash.rpc.slow',
    kind: 'updowncounter',
    unit: '1',
    description: '1 while the RPC round trip that completed last, or a request still unanswered, exceeds rpcLatencyThresholdMs',
    attributes: [],
  },
  {
    name: 'hmx.akash.rpc.requests',
    kind: 'counter',
    unit: '{request}',
    description: 'RPC requests made, by method and outcome',
    attributes: ['rpc.method', 'akash.rpc.outcome'],
  },
  {
    name: 'hmx.akash.leases',
    kind: 'gauge',
    unit: '{lease}',
    description: "The provider's leases on chain, by state",
    attributes: ['akash.provider', 'akash.lease.state'],
  },
  {
    name: 'hmx.akash.bids',
    kind: 'gauge',
    unit: '{bid}',
    description: "The provider's bids on chain, by state",
    attributes: ['akash.provider', 'akash.bid.state'],
  },
  {
    name: 'hmx.akash.orders',
    kind: 'gauge',
    unit: '{order}',
    description: 'Orders on chain (all tenants; orders have no provider), by state',
    attributes: ['akash.order.state'],
  },
  {
    name: 'hmx.akash.provider.up',
    kind: 'updowncounter',
    unit: '1',
    description: '1 when the provider gateway answered GET /status with a valid body',
    attributes: ['akash.provider'],
  },
  {
    name: 'hmx.akash.provider.leases',
    kind: 'gauge',
    unit: '{lease}',
    description: 'Active leases the provider cluster reports',
    attributes: ['akash.provider'],
  },
  {
    name: 'hmx.akash.provider.orders',
    kind: 'gauge',
    unit: '{order}',
    description: "Open orders in the provider's bid engine",
    attributes: ['akash.provider'],
  },
  {
    name: 'hmx.akash.provider.deployments',
    kind: 'gauge',
    unit: '{deployment}',
    description: "Deployments in the provider's manifest service",
    attributes: ['akash.provider'],
  },
  {
    name: 'hmx.akash.inventory.allocatable',
    kind: 'gauge',
    unit: '{resource}',
    description: 'Allocatable resources per cluster node (cpu in cores, memory and storage in bytes, gpu in units)',
    attributes: ['akash.provider', 'akash.node', 'akash.resource'],
  },
  {
    name: 'hmx.akash.inventory.allocated',
    kind: 'gauge',
    unit: '{resource}',
    description: 'Allocated resources per cluster node (allocatable minus available)',
    attributes: ['akash.provider', 'akash.node', 'akash.resource'],
  },
  {
    name: 'hmx.akash.stale',
    kind: 'updowncounter',
    unit: '1',
    description: '1 when the values of a part (chain or provider) are the last good ones, not fresh',
    attributes: ['akash.part'],
  },
  {
    name: 'hmx.akash.data.age',
    kind: 'gauge',
    unit: 's',
    description: 'Seconds since the values of a part were last read successfully',
    attributes: ['akash.part'],
  },
  {
    name: 'hmx.akash.read.failures',
    kind: 'counter',
    unit: '{failure}',
    description: 'Failed reads by part and error.type; json, protobuf and schema are rejected corrupt responses',
    attributes: ['akash.part', 'error.type'],
  },
] as const satisfies readonly MetricDescriptor[];

export type AkashMetricName = (typeof akashMetrics)[number]['name'];
