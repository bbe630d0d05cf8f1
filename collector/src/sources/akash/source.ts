// The akash source: chain (CometBFT RPC + market queries) and provider gateway, cached and served stale when slow.
import type { Frame, Source, SourceContext } from '../../core/source.js';
import { readChain, type ChainSnapshot } from './chain.js';
import { ChainClient } from './chain-client.js';
import { normaliseFingerprint, type AkashConfig } from './config.js';
import { CORRUPT_KINDS } from './errors.js';
import { GatewayClient } from './gateway.js';
import { akashMetrics } from './metrics.js';
import { observe } from './observations.js';
import { Part, type Outcome } from './part.js';
import type { ProviderStatus } from './provider-status.js';
import { RpcStats } from './rpc-stats.js';
import { ProviderTopology, type Draft } from './topology.js';

export interface AkashSourceOptions {
  /** Wall clock (ms), injectable for tests. */
  now?: () => number;
}

/**
 * Stale serving: once a part has a good value, a failed or slow read never throws; collect() returns the cached
 * value with hmx.akash.stale{akash.part}=1 and the part backs off by skipping collections. collect() throws only
 * when no part has anything to serve, so the scheduler's retries and circuit breaker handle a peer that never answered.
 */
export class AkashSource implements Source {
  readonly name = 'akash';
  readonly layer = 'akash' as const;
  readonly metrics = akashMetrics;

  private readonly rpc = new RpcStats();
  private readonly chainClient: ChainClient;
  private readonly gatewayClient: GatewayClient | undefined;
  private readonly chain: Part<ChainSnapshot>;
  private readonly gateway: Part<ProviderStatus> | undefined;
  private readonly topology: ProviderTopology;
  private readonly now: () => number;

  constructor(
    private readonly config: AkashConfig,
    options: AkashSourceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.chainClient = new ChainClient(config.rpcUrl, config.rpcLatencyThresholdMs, this.rpc);
    this.chain = new Part(config.maxBackoffCycles);
    if (config.gatewayUrl && config.gatewayCertSha256) {
      this.gatewayClient = new GatewayClient(config.gatewayUrl, normaliseFingerprint(config.gatewayCertSha256), config.gatewayTimeoutMs, config.provider);
      this.gateway = new Part(config.maxBackoffCycles);
    }
    this.topology = new ProviderTopology(config.provider, config.name ?? config.provider);
  }

  async collect(ctx: SourceContext, signal: AbortSignal): Promise<Frame> {
    this.chainClient.signal = signal;
    const [chain, gateway] = await Promise.all([
      this.chain.refresh(() => readChain(this.chainClient, this.config, this.chain.value), (r) => r.snapshot, this.now),
      this.gateway?.refresh(() => this.gatewayClient!.status(signal), (s) => s, this.now),
    ]);
    const drafts: Draft[] = [];
    const now = new Date(this.now());
    if (chain.ok === true) drafts.push(...this.topology.chain(chain.value));
    if (gateway?.ok === true) drafts.push(...this.topology.providerUp(now));
    if (this.gateway && gateway?.ok === false && this.gateway.consecutiveFailures >= this.config.providerFailAfter) {
      drafts.push(...this.topology.providerFailed(`gateway: ${gateway.message}`, now));
    }
    if (chain.ok === true && chain.value.snapshot.truncated.length > 0) {
      ctx.logger.warn({ source: 'akash', truncated: chain.value.snapshot.truncated }, 'akash chain: more pages than maxPages; counts are the node-reported totals or lower bounds');
    }
    this.log(ctx, 'chain', chain, this.chain.value !== undefined);
    if (gateway) this.log(ctx, 'provider', gateway, this.gateway?.value !== undefined);
    if (drafts.length > 0) ctx.emit({ records: drafts.map((d) => ({ v: 1, ...d, emitter: ctx.emitter, seq: ctx.nextSeq() })) });

    if (this.chain.value === undefined && this.gateway?.value === undefined) {
      const problems = [this.chain.lastError, this.gateway?.lastError].filter((e) => e !== undefined).map((e) => e.message);
      throw new Error(`akash: nothing to serve yet: ${problems.join('; ')}`);
    }
    return { observations: observe({ provider: this.config.provider, chain: this.chain, gateway: this.gateway, rpc: this.rpc, now: this.now() }) };
  }

  async stop(): Promise<void> {
    this.gatewayClient?.close();
  }

  private log(ctx: SourceContext, part: string, outcome: Outcome<unknown>, cached: boolean): void {
    if (outcome.ok !== false) return;
    const level = CORRUPT_KINDS.has(outcome.kind) ? 'warn' : 'info';
    const serving = cached ? 'serving the last good values (stale)' : 'nothing cached yet';
    ctx.logger[level]({ source: 'akash', part, kind: outcome.kind }, `akash ${part}: ${outcome.message}; ${serving}`);
  }
}
