// A protocol-faithful fake of a CometBFT 0.38 RPC node of an Akash chain (node v1.x/v2.x): JSON-RPC 2.0 over HTTP
// POST with `status`, `block` and `abci_query`; market queries answered with real akash.market.v1beta5 protobuf.
import http from 'node:http';
import { close, listen } from './listen.js';
import { LeaseClosedReason, Lease_State } from '@akashnetwork/chain-sdk/private-types/akash.v1';
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
} from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';

export interface Ids {
  owner: string;
  dseq: number;
  gseq: number;
  oseq: number;
  provider: string;
  bseq: number;
}
export interface FakeLease extends Ids {
  state: 'active' | 'insufficient_funds' | 'closed';
  createdAt: number;
  closedOn: number;
  reason: keyof typeof LeaseClosedReason;
  /** LegacyDec atomics (18 decimals), as the chain stores them. */
  price: string;
}
export interface FakeBid extends Ids {
  state: 'open' | 'active' | 'lost' | 'closed';
  createdAt: number;
  price: string;
}
export interface FakeOrder {
  owner: string;
  dseq: number;
  gseq: number;
  oseq: number;
  state: 'open' | 'active' | 'closed';
}

/** How the fake misbehaves for the next responses. */
export type Fault =
  | { kind: 'slow'; ms: number }
  | { kind: 'garbage-json' } // 200 with a body that is not JSON
  | { kind: 'garbage-protobuf' } // abci_query values that are not protobuf
  | { kind: 'wrong-types' } // status with a non-numeric height
  | { kind: 'foreign-lease' } // a lease of another provider in the provider-filtered answer
  | { kind: 'down' }; // 503 for everything

const GENESIS = Date.parse('2026-11-23T12:00:00.000Z');
const hex = (n: number, len: number) => n.toString(16).toUpperCase().padStart(len, '0');
const hash = (n: number) => hex(n, 64);

export class FakeComet {
  chainId = 'akashnet-2';
  version = '0.38.17';
  height = 100;
  leases: FakeLease[] = [];
  bids: FakeBid[] = [];
  orders: FakeOrder[] = [];
  fault: Fault | undefined;
  /** Every JSON-RPC call received: method and, for abci_query, the path. */
  readonly calls: string[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    this.url = await listen(this.server, 'http');
    return this;
  }

  stop(): Promise<void> {
    return close(this.server);
  }

  /** Block times: genesis + 6 s per block. */
  blockTime(height: number): string {
    return new Date(GENESIS + height * 6000).toISOString();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let rpc: { jsonrpc: string; id: number | string; method: string; params: Record<string, unknown> };
    try {
      rpc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return this.reply(res, { jsonrpc: '2.0', id: -1, error: { code: -32700, message: 'Parse error. Invalid JSON', data: '' } });
    }
    this.calls.push(rpc.method === 'abci_query' ? `abci_query ${String(rpc.params.path)}` : rpc.method);
    const fault = this.fault;
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms).unref());
    if (res.destroyed) return;
    if (fault?.kind === 'down') return void res.writeHead(503).end('service unavailable');
    if (fault?.kind === 'garbage-json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":');
    const result = this.dispatch(rpc.method, rpc.params ?? {});
    if ('error' in result) return this.reply(res, { jsonrpc: '2.0', id: rpc.id, error: result.error });
    this.reply(res, { jsonrpc: '2.0', id: rpc.id, result: result.result });
  }

  private reply(res: http.ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private dispatch(method: string, params: Record<string, unknown>): { result: unknown } | { error: { code: number; message: string; data: string } } {
    switch (method) {
      case 'status':
        return { result: this.status() };
      case 'block': {
        const height = params.height === undefined ? this.height : Number(params.height);
        if (!(height >= 1 && height <= this.height)) {
          return {
            error: {
              code: -32603,
              message: 'Internal error',
              data: `height ${height} must be less than or equal to the current blockchain height ${this.height}`,
            },
          };
        }
        return { result: this.block(height) };
      }
      case 'abci_query':
        return {
          result: { response: this.abci(String(params.path), Buffer.from(String(params.data ?? ''), 'hex'), Number(params.height ?? 0) || this.height) },
        };
      default:
        return { error: { code: -32601, message: 'Method not found', data: '' } };
    }
  }

  private status() {
    return {
      node_info: {
        protocol_version: { p2p: '8', block: '11', app: '0' },
        id: hex(0xabcdef, 40).toLowerCase(),
        listen_addr: 'tcp://0.0.0.0:26656',
        network: this.chainId,
        version: this.version,
        channels: '40202122233038606100',
        moniker: 'fake-akash-node',
        other: { tx_index: 'on', rpc_address: 'tcp://0.0.0.0:26657' },
      },
      sync_info: {
        latest_block_hash: hash(this.height),
        latest_app_hash: hash(this.height + 1),
        latest_block_height: this.fault?.kind === 'wrong-types' ? 'one hundred' : String(this.height),
        latest_block_time: this.blockTime(this.height),
        earliest_block_hash: hash(1),
        earliest_app_hash: hash(2),
        earliest_block_height: '1',
        earliest_block_time: this.blockTime(1),
        catching_up: false,
      },
      validator_info: {
        address: hex(0x1234, 40),
        pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.alloc(32, 7).toString('base64') },
        voting_power: '0',
      },
    };
  }

  private block(height: number) {
    const blockId = { hash: hash(height), parts: { total: 1, hash: hash(height + 7) } };
    return {
      block_id: blockId,
      block: {
        header: {
          version: { block: '11', app: '0' },
          chain_id: this.chainId,
          height: String(height),
          time: this.blockTime(height),
          last_block_id: { hash: hash(height - 1), parts: { total: 1, hash: hash(height + 6) } },
          last_commit_hash: hash(3),
          data_hash: hash(4),
          validators_hash: hash(5),
          next_validators_hash: hash(5),
          consensus_hash: hash(6),
          app_hash: hash(height + 1),
          last_results_hash: hash(8),
          evidence_hash: hash(9),
          proposer_address: hex(0x1234, 40),
        },
        data: { txs: [] },
        evidence: { evidence: [] },
        last_commit: {
          height: String(height - 1),
          round: 0,
          block_id: { hash: hash(height - 1), parts: { total: 1, hash: hash(height + 6) } },
          signatures: [],
        },
      },
    };
  }

  /** ABCI query on the market module's gRPC query service, as baseapp routes it. */
  private abci(path: string, data: Buffer, height: number) {
    const ok = (value: Uint8Array) => ({
      code: 0,
      log: '',
      info: '',
      index: '0',
      key: null,
      value:
        this.fault?.kind === 'garbage-protobuf'
          ? Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]).toString('base64')
          : Buffer.from(value).toString('base64'),
      proofOps: null,
      height: String(height),
      codespace: '',
    });
    const fail = (code: number, codespace: string, log: string) => ({
      code,
      log,
      info: '',
      index: '0',
      key: null,
      value: null,
      proofOps: null,
      height: String(height),
      codespace,
    });
    switch (path) {
      case '/akash.market.v1beta5.Query/Leases': {
        const q = QueryLeasesRequest.decode(data);
        let rows = this.leases.filter((l) => matches(l, q.filters ?? {}));
        if (this.fault?.kind === 'foreign-lease') rows = [...rows, { ...this.leases[0]!, provider: 'akash1' + 'z'.repeat(38) }];
        const page = paginate(rows, q.pagination);
        return ok(
          QueryLeasesResponse.encode(
            QueryLeasesResponse.fromPartial({ leases: page.items.map((l) => ({ lease: leaseMessage(l) })), pagination: page.response }),
          ).finish(),
        );
      }
      case '/akash.market.v1beta5.Query/Bids': {
        const q = QueryBidsRequest.decode(data);
        const page = paginate(
          this.bids.filter((b) => matches(b, q.filters ?? {})),
          q.pagination,
        );
        return ok(
          QueryBidsResponse.encode(
            QueryBidsResponse.fromPartial({ bids: page.items.map((b) => ({ bid: bidMessage(b) })), pagination: page.response }),
          ).finish(),
        );
      }
      case '/akash.market.v1beta5.Query/Orders': {
        const q = QueryOrdersRequest.decode(data);
        const page = paginate(
          this.orders.filter((o) => matches(o, q.filters ?? {})),
          q.pagination,
        );
        const orders = page.items.map((o) => ({
          id: { owner: o.owner, dseq: o.dseq, gseq: o.gseq, oseq: o.oseq },
          state: Order_State[o.state],
          createdAt: this.height - 1,
        }));
        return ok(QueryOrdersResponse.encode(QueryOrdersResponse.fromPartial({ orders, pagination: page.response })).finish());
      }
      case '/akash.market.v1beta5.Query/Lease': {
        const id = QueryLeaseRequest.decode(data).id;
        const lease = this.leases.find((l) => id && sameId(l, id));
        if (!lease) return fail(1, 'market', 'invalid lease: lease not found');
        return ok(QueryLeaseResponse.encode(QueryLeaseResponse.fromPartial({ lease: leaseMessage(lease) })).finish());
      }
      case '/akash.market.v1beta5.Query/Bid': {
        const id = QueryBidRequest.decode(data).id;
        const bid = this.bids.find((b) => id && sameId(b, id));
        if (!bid) return fail(1, 'market', 'invalid bid: bid not found');
        return ok(QueryBidResponse.encode(QueryBidResponse.fromPartial({ bid: bidMessage(bid) })).finish());
      }
      default:
        return fail(6, 'sdk', `unknown query path: ${path}: unknown request`);
    }
  }
}

const idMessage = (r: Ids) => ({ owner: r.owner, dseq: r.dseq, gseq: r.gseq, oseq: r.oseq, provider: r.provider, bseq: r.bseq });

function leaseMessage(l: FakeLease) {
  return {
    id: idMessage(l),
    state: Lease_State[l.state],
    price: { denom: 'uakt', amount: l.price },
    createdAt: l.createdAt,
    closedOn: l.closedOn,
    reason: LeaseClosedReason[l.reason],
  };
}

function bidMessage(b: FakeBid) {
  return {
    id: idMessage(b),
    state: Bid_State[b.state],
    price: { denom: 'uakt', amount: b.price },
    createdAt: b.createdAt,
    resourcesOffer: [],
  };
}

type Filters = { owner?: string; dseq?: { toNumber(): number }; provider?: string; state?: string };
function matches(row: { owner: string; dseq: number; state: string; provider?: string }, f: Filters): boolean {
  return (
    (!f.owner || f.owner === row.owner) &&
    (!f.dseq || f.dseq.toNumber() === 0 || f.dseq.toNumber() === row.dseq) &&
    (!f.provider || f.provider === row.provider) &&
    (!f.state || f.state === row.state)
  );
}

function sameId(row: Ids, id: { owner: string; dseq: { toNumber(): number }; gseq: number; oseq: number; provider: string; bseq: number }): boolean {
  return (
    row.owner === id.owner &&
    row.dseq === id.dseq.toNumber() &&
    row.gseq === id.gseq &&
    row.oseq === id.oseq &&
    row.provider === id.provider &&
    row.bseq === id.bseq
  );
}

/** Cosmos SDK pagination: an opaque next_key (here the next offset), total only when count_total was asked. */
function paginate<T>(rows: T[], p: { key: Uint8Array; limit: { toNumber(): number }; countTotal: boolean } | undefined) {
  const start = p && p.key.length === 4 ? Buffer.from(p.key).readUInt32BE(0) : 0;
  const limit = p && p.limit.toNumber() > 0 ? p.limit.toNumber() : 100;
  const items = rows.slice(start, start + limit);
  const next = start + limit < rows.length ? Buffer.alloc(4) : undefined;
  next?.writeUInt32BE(start + limit, 0);
  return { items, response: { nextKey: next ?? new Uint8Array(), total: p?.countTotal ? rows.length : 0 } };
}
