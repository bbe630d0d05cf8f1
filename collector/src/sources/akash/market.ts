// akash.market.v1beta5.Query over abci_query: the provider's leases and bids, and order counts.
import { LeaseClosedReason, Lease_State, type Lease } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import {
  Bid_State,
  Order_State,
  QueryBidRequest,
  QueryBidResponse,
  QueryBidsRequest,
  QueryBidsResponse,
  QueryLeaseRequest,
  QueryLeaseResponse,
  QueryLeasesRequest,
  QueryLeasesResponse,
  QueryOrdersRequest,
  QueryOrdersResponse,
  type Bid,
  type Order,
} from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import type { ChainClient, Codec } from './chain-client.js';
import { AkashReadError } from './errors.js';
import { BidRecord, LeaseRecord, OrderRecord, check } from './records.js';

export const MARKET_SERVICE = 'akash.market.v1beta5.Query';
const path = (method: string) => `/${MARKET_SERVICE}/${method}`;

export interface Listing<T> {
  items: T[];
  /** Number of matching entries (the larger of what was read and the total the node reported). */
  count: number;
  /** More pages existed than `maxPages` allowed. */
  truncated: boolean;
}

export interface Paging {
  pageLimit: number;
  maxPages: number;
  height: number;
}

interface Page<T> {
  items: T[];
  nextKey: Uint8Array;
  total: number;
}

async function listAll<T>(paging: Paging, fetchPage: (key: Uint8Array | undefined, first: boolean) => Promise<Page<T>>): Promise<Listing<T>> {
  const items: T[] = [];
  let key: Uint8Array | undefined;
  let total = 0;
  for (let page = 0; page < paging.maxPages; page++) {
    const res = await fetchPage(key, page === 0);
    items.push(...res.items);
    if (page === 0) total = res.total;
    if (res.nextKey.length === 0) return { items, count: Math.max(total, items.length), truncated: false };
    key = res.nextKey;
  }
  return { items, count: Math.max(total, items.length), truncated: true };
}

const pagination = (paging: Paging, key: Uint8Array | undefined, first: boolean) => ({
  key: key ?? new Uint8Array(),
  limit: paging.pageLimit,
  countTotal: first,
});

const safeTotal = (total: { toNumber(): number } | undefined) => Math.max(0, total?.toNumber() ?? 0);

/** LegacyDec travels as its 10^18-scaled integer; JSON gateways show it with a point. Both become a decimal string. */
export function decAmount(raw: string): string {
  if (!/^[0-9]+$/.test(raw)) return raw;
  const padded = raw.padStart(19, '0');
  const whole = padded.slice(0, -18).replace(/^0+(?=\d)/, '');
  const frac = padded.slice(-18).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

const price = (p: { denom: string; amount: string } | undefined) => (p && p.denom ? { denom: p.denom, amount: decAmount(p.amount) } : undefined);

/** `reclaiming` (4) is newer than the pinned chain-sdk's enum; later unknown values keep their number and fail validation. */
const leaseState = (n: number): string => (n === 4 ? 'reclaiming' : (Lease_State[n] ?? String(n)));

export function leaseRecord(lease: Lease | undefined, what: string): LeaseRecord {
  if (!lease?.id) throw new AkashReadError('schema', `${what}: field /lease/id is missing`);
  const record = {
    owner: lease.id.owner,
    dseq: lease.id.dseq.toString(),
    gseq: lease.id.gseq,
    oseq: lease.id.oseq,
    provider: lease.id.provider,
    bseq: lease.id.bseq,
    state: leaseState(lease.state),
    createdAt: lease.createdAt.toNumber(),
    closedOn: lease.closedOn.toNumber(),
    reason: LeaseClosedReason[lease.reason] ?? `unknown_${lease.reason}`,
    ...(price(lease.price) ? { price: price(lease.price) } : {}),
  };
  return check<LeaseRecord>(LeaseRecord, record, what);
}

export function bidRecord(bid: Bid | undefined, what: string): BidRecord {
  if (!bid?.id) throw new AkashReadError('schema', `${what}: field /bid/id is missing`);
  const record = {
    owner: bid.id.owner,
    dseq: bid.id.dseq.toString(),
    gseq: bid.id.gseq,
    oseq: bid.id.oseq,
    provider: bid.id.provider,
    bseq: bid.id.bseq,
    state: Bid_State[bid.state] ?? String(bid.state),
    createdAt: bid.createdAt.toNumber(),
    ...(price(bid.price) ? { price: price(bid.price) } : {}),
  };
  return check<BidRecord>(BidRecord, record, what);
}

function orderRecord(order: Order, what: string): OrderRecord {
  if (!order.id) throw new AkashReadError('schema', `${what}: field /order/id is missing`);
  const record = { owner: order.id.owner, dseq: order.id.dseq.toString(), gseq: order.id.gseq, oseq: order.id.oseq, state: Order_State[order.state] ?? String(order.state) };
  return check<OrderRecord>(OrderRecord, record, what);
}

function belongsTo<T extends { provider: string; state: string }>(provider: string, state: string, what: string) {
  return (r: T): T => {
    if (r.provider !== provider) throw new AkashReadError('schema', `${what}: field /provider is ${r.provider}, not the configured provider`);
    if (r.state !== state) throw new AkashReadError('schema', `${what}: field /state is ${r.state}, the filter asked for ${state}`);
    return r;
  };
}

export class MarketQueries {
  constructor(
    private readonly client: ChainClient,
    private readonly provider: string,
  ) {}

  private abci<Req, Res>(method: string, req: Codec<Req>, res: Codec<Res>, message: Req, height: number) {
    return this.client.abci(path(method), req, res, message, height);
  }

  leases(state: string, paging: Paging): Promise<Listing<LeaseRecord>> {
    const what = `${path('Leases')} state=${state}`;
    return listAll(paging, async (key, first) => {
      const msg = QueryLeasesRequest.fromPartial({ filters: { provider: this.provider, state }, pagination: pagination(paging, key, first) });
      const res = await this.abci('Leases', QueryLeasesRequest, QueryLeasesResponse, msg, paging.height);
      const items = res.leases.map((l, i) => belongsTo<LeaseRecord>(this.provider, state, `${what} /leases/${i}`)(leaseRecord(l.lease, `${what} /leases/${i}`)));
      return { items, nextKey: res.pagination?.nextKey ?? new Uint8Array(), total: safeTotal(res.pagination?.total) };
    });
  }

  bids(state: string, paging: Paging): Promise<Listing<BidRecord>> {
    const what = `${path('Bids')} state=${state}`;
    return listAll(paging, async (key, first) => {
      const msg = QueryBidsRequest.fromPartial({ filters: { provider: this.provider, state }, pagination: pagination(paging, key, first) });
      const res = await this.abci('Bids', QueryBidsRequest, QueryBidsResponse, msg, paging.height);
      const items = res.bids.map((b, i) => belongsTo<BidRecord>(this.provider, state, `${what} /bids/${i}`)(bidRecord(b.bid, `${what} /bids/${i}`)));
      return { items, nextKey: res.pagination?.nextKey ?? new Uint8Array(), total: safeTotal(res.pagination?.total) };
    });
  }

  orders(state: string, paging: Paging): Promise<Listing<OrderRecord>> {
    const what = `${path('Orders')} state=${state}`;
    return listAll(paging, async (key, first) => {
      const msg = QueryOrdersRequest.fromPartial({ filters: { state }, pagination: pagination(paging, key, first) });
      const res = await this.abci('Orders', QueryOrdersRequest, QueryOrdersResponse, msg, paging.height);
      const items = res.orders.map((o, i) => orderRecord(o, `${what} /orders/${i}`));
      for (const [i, o] of items.entries()) {
        if (o.state !== state) throw new AkashReadError('schema', `${what} /orders/${i}: field /state is ${o.state}, the filter asked for ${state}`);
      }
      return { items, nextKey: res.pagination?.nextKey ?? new Uint8Array(), total: safeTotal(res.pagination?.total) };
    });
  }

  /** One lease by id; undefined when the node does not know it. */
  async lease(id: LeaseRecord | BidRecord, height: number): Promise<LeaseRecord | undefined> {
    const msg = QueryLeaseRequest.fromPartial({ id: { owner: id.owner, dseq: id.dseq, gseq: id.gseq, oseq: id.oseq, provider: id.provider, bseq: id.bseq } });
    const res = await this.lookup(() => this.abci('Lease', QueryLeaseRequest, QueryLeaseResponse, msg, height));
    return res && leaseRecord(res.lease, path('Lease'));
  }

  /** One bid by id; undefined when the node does not know it. */
  async bid(id: BidRecord, height: number): Promise<BidRecord | undefined> {
    const msg = QueryBidRequest.fromPartial({ id: { owner: id.owner, dseq: id.dseq, gseq: id.gseq, oseq: id.oseq, provider: id.provider, bseq: id.bseq } });
    const res = await this.lookup(() => this.abci('Bid', QueryBidRequest, QueryBidResponse, msg, height));
    return res && bidRecord(res.bid, path('Bid'));
  }

  /** A "not found" answer is an ABCI error code; anything else (timeouts, corruption) still fails the read. */
  private async lookup<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof AkashReadError && err.kind === 'rpc_error' && /not found/i.test(err.message)) return undefined;
      throw err;
    }
  }
}
