// The chain as cosmjs sees it: CometBFT status/block and ABCI queries carrying Akash protobuf messages.
import { QueryClient } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { AkashReadError, messageOf } from './errors.js';
import type { RpcStats } from './rpc-stats.js';
import { TimedTransport } from './transport.js';

/** The encode/decode half of a ts-proto message (what chain-sdk's generated types provide). */
export interface Codec<T> {
  readonly $type: string;
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  fromPartial(object: never): T;
}

export interface ChainStatus {
  chainId: string;
  height: number;
  blockTime: Date;
  catchingUp: boolean;
  cometVersion: string;
}

export class ChainClient {
  private readonly transport: TimedTransport;
  private readonly comet: Comet38Client;
  private readonly query: QueryClient;

  constructor(url: string, timeoutMs: number, stats: RpcStats) {
    this.transport = new TimedTransport(url, timeoutMs, stats);
    // Akash node v1.x/v2.x run CometBFT 0.38; its JSON shapes are what Comet38Client decodes.
    this.comet = Comet38Client.create(this.transport);
    this.query = new QueryClient(this.comet);
  }

  /** Cancels in-flight requests (the source's stop). */
  set signal(signal: AbortSignal | undefined) {
    this.transport.signal = signal;
  }

  async status(): Promise<ChainStatus> {
    const s = await decoded('status', () => this.comet.status());
    return {
      chainId: s.nodeInfo.network,
      height: s.syncInfo.latestBlockHeight,
      blockTime: new Date(s.syncInfo.latestBlockTime.getTime()),
      catchingUp: s.syncInfo.catchingUp,
      cometVersion: s.nodeInfo.version,
    };
  }

  async blockTime(height: number): Promise<Date> {
    const b = await decoded('block', () => this.comet.block(height));
    return new Date(b.block.header.time.getTime());
  }

  /** One `abci_query` on `/<service>/<method>` at `height`, the request and response as Akash protobuf messages. */
  async abci<Req, Res>(path: string, req: Codec<Req>, res: Codec<Res>, message: Req, height?: number): Promise<Res> {
    const answer = await decoded('abci_query', () => this.query.queryAbci(path, req.encode(message).finish(), height), path);
    try {
      return res.decode(answer.value);
    } catch (err) {
      throw new AkashReadError('protobuf', `ABCI ${path}: value is not a valid ${res.$type} (${messageOf(err)})`, { cause: err });
    }
  }
}

/** Runs a cosmjs call; transport failures keep their kind, anything cosmjs throws while decoding becomes `schema`. */
async function decoded<T>(method: string, call: () => Promise<T>, path?: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AkashReadError) throw err;
    const message = messageOf(err);
    const failed = /^Query failed with \((\d+)\): ?(.*)$/s.exec(message);
    if (failed) {
      const [, code, log] = failed;
      if (/unknown query path|unknown service/i.test(log ?? '')) {
        throw new AkashReadError(
          'unsupported_chain',
          `ABCI ${path}: the node does not serve this query (code ${code}: ${log?.slice(0, 200)}); supported: Akash node v1.x/v2.x (akash.market.v1beta5)`,
        );
      }
      throw new AkashReadError('rpc_error', `ABCI ${path}: query failed with code ${code}: ${log?.slice(0, 200)}`);
    }
    throw new AkashReadError('schema', `RPC ${method}${path ? ` ${path}` : ''}: malformed result (${message.slice(0, 200)})`, { cause: err });
  }
}
