// The metric samples of one collection, from the parts' current (fresh or cached) values.
import type { Observation } from '../../core/observation.js';
import type { ChainSnapshot } from './chain.js';
import type { Part } from './part.js';
import { inventory, type ProviderStatus } from './provider-status.js';
import type { RpcStats } from './rpc-stats.js';

export interface SourceView {
  provider: string;
  chain: Part<ChainSnapshot>;
  /** Undefined when no gateway is configured. */
  gateway: Part<ProviderStatus> | undefined;
  rpc: RpcStats;
  now: number;
}

export function observe(view: SourceView): Observation[] {
  const out: Observation[] = [];
  const add = (metric: string, value: number, attributes: Observation['attributes'] = {}) => out.push({ metric, value, attributes });
  const p = { 'akash.provider': view.provider };

  const chain = view.chain.value;
  if (chain) {
    const c = { 'akash.chain_id': chain.chainId };
    add('hmx.akash.chain.height', chain.height, c);
    add('hmx.akash.chain.block.time', chain.blockTime.getTime() / 1000, c);
    for (const [state, n] of chain.leaseCounts) add('hmx.akash.leases', n, { ...p, 'akash.lease.state': state });
    for (const [state, n] of chain.bidCounts) add('hmx.akash.bids', n, { ...p, 'akash.bid.state': state });
    for (const [state, n] of chain.orderCounts) add('hmx.akash.orders', n, { 'akash.order.state': state });
  }
  const fresh = (part: Part<unknown>) => part.state(view.now) === 'fresh';
  add('hmx.akash.rpc.up', fresh(view.chain) ? 1 : 0);
  add('hmx.akash.rpc.slow', view.rpc.slow() ? 1 : 0);
  for (const [method, s] of view.rpc.byMethod) {
    const m = { 'rpc.method': method };
    add('hmx.akash.rpc.latency', s.lastSeconds, m);
    add('hmx.akash.rpc.requests', s.ok, { ...m, 'akash.rpc.outcome': 'ok' });
    add('hmx.akash.rpc.requests', s.error, { ...m, 'akash.rpc.outcome': 'error' });
  }

  const gw = view.gateway;
  const status = gw?.value;
  if (gw) add('hmx.akash.provider.up', fresh(gw) ? 1 : 0, p);
  if (status) {
    add('hmx.akash.provider.leases', status.cluster?.leases ?? 0, p);
    add('hmx.akash.provider.orders', status.bidengine?.orders ?? 0, p);
    add('hmx.akash.provider.deployments', status.manifest?.deployments ?? 0, p);
    for (const row of inventory(status)) {
      const a = { ...p, 'akash.node': row.node, 'akash.resource': row.resource };
      add('hmx.akash.inventory.allocatable', row.allocatable, a);
      add('hmx.akash.inventory.allocated', row.allocated, a);
    }
  }

  for (const [name, part] of [
    ['chain', view.chain],
    ['provider', gw],
  ] as const) {
    if (!part) continue;
    const a = { 'akash.part': name };
    add('hmx.akash.stale', fresh(part) ? 0 : 1, a);
    const age = part.ageSeconds(view.now);
    if (age !== undefined) add('hmx.akash.data.age', age, a);
    for (const [kind, n] of part.failures) add('hmx.akash.read.failures', n, { ...a, 'error.type': kind });
  }
  return out;
}
