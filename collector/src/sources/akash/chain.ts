// One consistent read of the chain: status, then every market query at the same block height.
import type { ChainClient, ChainStatus } from './chain-client.js';
import type { AkashConfig } from './config.js';
import { AkashReadError } from './errors.js';
import { MarketQueries, type Paging } from './market.js';
import { bidKey, leaseActorId, type BidRecord, type LeaseRecord } from './records.js';

export interface ChainSnapshot extends ChainStatus {
  /** Active leases by actor id. */
  activeLeases: Map<string, LeaseRecord>;
  /** Open and active bids by bid key. */
  openBids: Map<string, BidRecord>;
  activeBids: Map<string, BidRecord>;
  leaseCounts: Map<string, number>;
  bidCounts: Map<string, number>;
  orderCounts: Map<string, number>;
  truncated: string[];
}

export interface ChainReading {
  snapshot: ChainSnapshot;
  /** Leases active in the previous snapshot but not now, with their on-chain record (undefined: unknown to the node). */
  endedLeases: Map<string, LeaseRecord | undefined>;
  /** Bids open in the previous snapshot that are no longer open, with their current record. */
  decidedBids: Map<string, BidRecord | undefined>;
  /** Bids active now that were never seen open (won between two reads). */
  wonUnseen: BidRecord[];
  /** Block times of the heights where leases were created or closed (best effort). */
  blockTimes: Map<number, Date>;
}

type ChainOptions = Pick<AkashConfig, 'provider' | 'chainId' | 'pageLimit' | 'maxPages' | 'countLeaseStates' | 'countBidStates' | 'orderStates'>;

export async function readChain(client: ChainClient, options: ChainOptions, previous: ChainSnapshot | undefined): Promise<ChainReading> {
  const status = await client.status();
  if (options.chainId && status.chainId !== options.chainId) {
    throw new AkashReadError('schema', `RPC status: field /node_info/network is ${status.chainId}, expected chainId ${options.chainId}`);
  }
  if (previous && status.height < previous.height) {
    throw new AkashReadError('schema', `RPC status: field /sync_info/latest_block_height went back from ${previous.height} to ${status.height}`);
  }
  const market = new MarketQueries(client, options.provider);
  const paging: Paging = { pageLimit: options.pageLimit, maxPages: options.maxPages, height: status.height };

  const [active, open, won, leaseCounts, bidCounts, orderCounts] = await Promise.all([
    market.leases('active', paging),
    market.bids('open', paging),
    market.bids('active', paging),
    Promise.all(options.countLeaseStates.map(async (s) => [s, await market.leases(s, paging)] as const)),
    Promise.all(options.countBidStates.map(async (s) => [s, await market.bids(s, paging)] as const)),
    Promise.all(options.orderStates.map(async (s) => [s, await market.orders(s, paging)] as const)),
  ]);

  const truncated = [
    ...(active.truncated ? ['leases:active'] : []),
    ...(open.truncated ? ['bids:open'] : []),
    ...(won.truncated ? ['bids:active'] : []),
    ...leaseCounts.filter(([, l]) => l.truncated).map(([s]) => `leases:${s}`),
    ...bidCounts.filter(([, l]) => l.truncated).map(([s]) => `bids:${s}`),
    ...orderCounts.filter(([, l]) => l.truncated).map(([s]) => `orders:${s}`),
  ];
  const snapshot: ChainSnapshot = {
    ...status,
    activeLeases: new Map(active.items.map((l) => [leaseActorId(l), l])),
    openBids: new Map(open.items.map((b) => [bidKey(b), b])),
    activeBids: new Map(won.items.map((b) => [bidKey(b), b])),
    leaseCounts: new Map([['active', active.count], ...leaseCounts.map(([s, l]) => [s, l.count] as const)]),
    bidCounts: new Map([['open', open.count], ['active', won.count], ...bidCounts.map(([s, l]) => [s, l.count] as const)]),
    orderCounts: new Map(orderCounts.map(([s, l]) => [s, l.count] as const)),
    truncated,
  };
  return { snapshot, ...(await changesSince(client, market, previous, snapshot)) };
}

async function changesSince(
  client: ChainClient,
  market: MarketQueries,
  previous: ChainSnapshot | undefined,
  now: ChainSnapshot,
): Promise<Omit<ChainReading, 'snapshot'>> {
  if (!previous) return { endedLeases: new Map(), decidedBids: new Map(), wonUnseen: [], blockTimes: new Map() };

  const ended = [...previous.activeLeases].filter(([id]) => !now.activeLeases.has(id));
  const decided = [...previous.openBids].filter(([key]) => !now.openBids.has(key));
  // Looked up in parallel, kept in the previous snapshot's order so the records come out in a stable order.
  const [endedRecords, decidedRecords] = await Promise.all([
    Promise.all(ended.map(([, lease]) => market.lease(lease, now.height))),
    Promise.all(decided.map(([key, bid]) => now.activeBids.get(key) ?? market.bid(bid, now.height))),
  ]);
  const endedLeases = new Map(ended.map(([id], i) => [id, endedRecords[i]]));
  const decidedBids = new Map(decided.map(([key], i) => [key, decidedRecords[i]]));
  const wonUnseen = [...now.activeBids].filter(([key]) => !previous.openBids.has(key) && !previous.activeBids.has(key)).map(([, b]) => b);

  const heights = new Set<number>();
  for (const [id, lease] of now.activeLeases) if (!previous.activeLeases.has(id)) heights.add(lease.createdAt);
  for (const lease of endedLeases.values()) if (lease?.closedOn) heights.add(lease.closedOn);
  return { endedLeases, decidedBids, wonUnseen, blockTimes: await blockTimes(client, heights) };
}

/** Times of the given heights; a pruned or failing block only loses precision (the snapshot time is used instead). */
async function blockTimes(client: ChainClient, heights: Set<number>): Promise<Map<number, Date>> {
  const out = new Map<number, Date>();
  await Promise.all(
    [...heights]
      .filter((h) => h > 0)
      .map(async (h) => {
        try {
          out.set(h, await client.blockTime(h));
        } catch (err) {
          if (err instanceof AkashReadError && err.kind === 'timeout') throw err;
        }
      }),
  );
  return out;
}
