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

/** LeaseID and BidID carry the same fields; dseq is a uint64 and stays a decimal string. */
const idFields = (id: { owner: string; dseq: { toString(): string }; gseq: number; oseq: number; provider: string; bseq: number }) => ({
  owner: id.owner,
  dseq: id.dseq.toString(),
  gseq: id.gseq,
  oseq: id.oseq,
  provider: id.provider,
  bseq: id.bseq,
});

/** `reclaiming` (4) is newer than the pinned chain-sdk's enum; later unknown values keep their number and fail validation. */
const leaseState = (n: number): string => (n === 4 ? 'reclaiming' : (Lease_State[n] ?? String(n)));

export function leaseRecord(lease: Lease | undefined, what: string): LeaseRecord {
  if (!lease?.id) throw new AkashReadError('schema', `${what}: field /lease/id is missing`);
  const record = {
    ...idFields(lease.id),
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
    ...idFields(bid.id),
    state: Bid_State[bid.state] ?? String(bid.state),
    createdAt: bid.createdAt.toNumber(),
    ...(price(bid.price) ? { price: price(bid.price) } : {}),
  };
  return check<BidRecord>(BidRecord, record, what);
}

function orderRecord(order: Order, what: string): OrderRecord {
  if (!order.id) throw new AkashReadError('schema', `${what}: field /order/id is missing`);
  const record = {
    owner: order.id.owner,
    dseq: order.id.dseq.toString(),
    gseq: order.id.gseq,
    oseq: order.id.oseq,
    state: Order_State[order.state] ?? String(order.state),
  };
  return check<OrderRecord>(OrderRecord, record, what);
}

/** The answer must be what the filter asked for: the configured provider (when filtered) and the state. */
function matchesFilter(record: { state: string; provider?: string }, filter: { state: string; provider?: string }, what: string): void {
  if (filter.provider !== undefined && record.provider !== filter.provider) {
    throw new AkashReadError('schema', `${what}: field /provider is ${record.provider}, not the configured provider`);
  }
  if (record.state !== filter.state) throw new AkashReadError('schema', `${what}: field /state is ${record.state}, the filter asked for ${filter.state}`);
}

interface PagedResponse {
  pagination?: { nextKey: Uint8Array; total: { toNumber(): number } } | undefined;
}

/** One list query of the market service: every page, each entry turned into a validated record. */
interface ListQuery<Req, Res extends PagedResponse, T> {
  method: 'Leases' | 'Bids' | 'Orders';
  request: Codec<Req>;
  response: Codec<Res>;
  filters: { state: string; provider?: string };
  entries(res: Res): readonly unknown[];
  record(entry: unknown, what: string): T;
}

export class MarketQueries {
  constructor(
    private readonly client: ChainClient,
    private readonly provider: string,
  ) {}

  private abci<Req, Res>(method: string, req: Codec<Req>, res: Codec<Res>, message: Req, height: number) {
    return this.client.abci(path(method), req, res, message, height);
  }

  private list<Req, Res extends PagedResponse, T extends { state: string; provider?: string }>(q: ListQuery<Req, Res, T>, paging: Paging): Promise<Listing<T>> {
    const what = `${path(q.method)} state=${q.filters.state}`;
    const field = q.method.toLowerCase();
    return listAll(paging, async (key, first) => {
      const msg = q.request.fromPartial({ filters: q.filters, pagination: pagination(paging, key, first) } as never);
      const res = await this.abci(q.method, q.request, q.response, msg, paging.height);
      const items = q.entries(res).map((entry, i) => {
        const record = q.record(entry, `${what} /${field}/${i}`);
        matchesFilter(record, q.filters, `${what} /${field}/${i}`);
        return record;
      });
      return { items, nextKey: res.pagination?.nextKey ?? new Uint8Array(), total: safeTotal(res.pagination?.total) };
    });
  }

  leases(state: string, paging: Paging): Promise<Listing<LeaseRecord>> {
    return this.list(
      {
        method: 'Leases',
        request: QueryLeasesRequest,
        response: QueryLeasesResponse,
        filters: { provider: this.provider, state },
        entries: (r) => r.leases,
        record: (e, what) => leaseRecord((e as QueryLeaseResponse).lease, what),
      },
      paging,
    );
  }

  bids(state: string, paging: Paging): Promise<Listing<BidRecord>> {
    return this.list(
      {
        method: 'Bids',
        request: QueryBidsRequest,
        response: QueryBidsResponse,
        filters: { provider: this.provider, state },
        entries: (r) => r.bids,
        record: (e, what) => bidRecord((e as QueryBidResponse).bid, what),
      },
      paging,
    );
  }

  /** Orders have no provider filter: these are the whole market's. */
  orders(state: string, paging: Paging): Promise<Listing<OrderRecord>> {
    return this.list(
      {
        method: 'Orders',
        request: QueryOrdersRequest,
        response: QueryOrdersResponse,
        filters: { state },
        entries: (r) => r.orders,
        record: (e, what) => orderRecord(e as Order, what),
      },
      paging,
    );
  }

  /** One lease by id; undefined when the node does not know it. */
  async lease(id: LeaseRecord | BidRecord, height: number): Promise<LeaseRecord | undefined> {
    const msg = QueryLeaseRequest.fromPartial({ id: idFields(id) });
    const res = await this.lookup(() => this.abci('Lease', QueryLeaseRequest, QueryLeaseResponse, msg, height));
    return res && leaseRecord(res.lease, path('Lease'));
  }

  /** One bid by id; undefined when the node does not know it. */
  async bid(id: BidRecord, height: number): Promise<BidRecord | undefined> {
    const msg = QueryBidRequest.fromPartial({ id: idFields(id) });
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
