// The akash source: chain (CometBFT RPC + market queries) and provider gateway, each read on its own, cached and
// served stale while its read fails or runs late.
import { worstState, type DataFreshness } from '../../core/health.js';
import type { Frame, Source, SourceContext } from '../../core/source.js';
import { readChain, type ChainReading, type ChainSnapshot } from './chain.js';
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
 * Independent parts: each collection starts a read of every part that has none running (and is not backing off),
 * but waits only for parts with nothing cached yet. A slow chain therefore never delays the gateway: each read's
 * lifecycle records are emitted, and its samples pushed, the moment it ends. collect() returns the current view
 * (fresh or cached, with hmx.akash.stale per part) and throws only when no part has anything to serve, so the
 * scheduler's retries and circuit breaker handle a peer that never answered.
 */
export class AkashSource implements Source {
  readonly name = 'akash';
  readonly layer = 'akash' as const;
  readonly metrics = akashMetrics;

  private readonly rpc: RpcStats;
  private readonly chainClient: ChainClient;
  private readonly gatewayClient: GatewayClient | undefined;
  private readonly chain: Part<ChainSnapshot>;
  private readonly gateway: Part<ProviderStatus> | undefined;
  private readonly topology: ProviderTopology;
  private readonly now: () => number;
  /** Cancels every read in flight when the source stops (reads outlive the collection that started them). */
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: AkashConfig,
    options: AkashSourceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.rpc = new RpcStats(config.rpcLatencyThresholdMs / 1000, new URL(config.rpcUrl).hostname);
    this.chainClient = new ChainClient(config.rpcUrl, config.rpcTimeoutMs, this.rpc);
    this.chainClient.signal = this.stopping.signal;
    this.chain = new Part(config.maxBackoffCycles, config.rpcLatencyThresholdMs);
    if (config.gatewayUrl && config.gatewayCertSha256) {
      this.gatewayClient = new GatewayClient(config.gatewayUrl, normaliseFingerprint(config.gatewayCertSha256), config.gatewayTimeoutMs, config.provider);
      this.gateway = new Part(config.maxBackoffCycles, config.gatewayTimeoutMs);
    }
    this.topology = new ProviderTopology(config.provider, config.name ?? config.provider);
  }

  async collect(ctx: SourceContext, signal: AbortSignal): Promise<Frame> {
    this.rpc.onMeasurement = (m) => ctx.emit({ measurements: [m] });
    const chainRead = this.chain.poll(
      () => readChain(this.chainClient, this.config, this.chain.value),
      (r) => r.snapshot,
      this.now,
      (outcome, startedAt) => this.chainSettled(ctx, outcome, startedAt),
    );
    const gatewayRead = this.gateway?.poll(
      () => this.gatewayClient!.status(this.stopping.signal),
      (s) => s,
      this.now,
      (outcome) => this.gatewaySettled(ctx, outcome),
    );
    // Only a part with nothing to serve is waited for; a cached part answers from its cache while its read runs on.
    const waits = [
      ...(chainRead && this.chain.value === undefined ? [chainRead] : []),
      ...(gatewayRead && this.gateway?.value === undefined ? [gatewayRead] : []),
    ];
    if (waits.length > 0) await untilAborted(Promise.all(waits), signal);

    if (this.chain.value === undefined && this.gateway?.value === undefined) {
      const problems = [this.chain.lastError, this.gateway?.lastError].filter((e) => e !== undefined).map((e) => e.message);
      throw new Error(`akash: nothing to serve yet: ${problems.length > 0 ? problems.join('; ') : 'no read has finished'}`);
    }
    return { observations: this.observations() };
  }

  freshness(now: number): DataFreshness {
    const parts: DataFreshness['parts'] = {};
    for (const [name, part] of [
      ['chain', this.chain],
      ['provider', this.gateway],
    ] as const) {
      if (!part) continue;
      const state = part.state(now);
      parts[name] = {
        state,
        age_seconds: part.ageSeconds(now) ?? null,
        ...(state !== 'fresh' && part.lastError && { error: part.lastError.message.slice(0, 300) }),
      };
    }
    const ages = Object.values(parts)
      .map((p) => p.age_seconds)
      .filter((a): a is number => a !== null);
    return { state: worstState(Object.values(parts).map((p) => p.state)), age_seconds: ages.length > 0 ? Math.max(...ages) : null, parts };
  }

  async idle(): Promise<void> {
    await Promise.all([this.chain.running, this.gateway?.running]);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
    this.gatewayClient?.close();
  }

  private observations() {
    return observe({ provider: this.config.provider, chain: this.chain, gateway: this.gateway, rpc: this.rpc, now: this.now() });
  }

  private chainSettled(ctx: SourceContext, outcome: Outcome<ChainReading>, startedAt: number): void {
    if (outcome.ok) {
      this.emitDrafts(ctx, this.topology.chain(outcome.value, startedAt));
      const truncated = outcome.value.snapshot.truncated;
      if (truncated.length > 0)
        ctx.logger.warn({ source: 'akash', truncated }, 'akash chain: more pages than maxPages; counts are the node-reported totals or lower bounds');
    } else {
      this.logFailure(ctx, 'chain', outcome, this.chain.value !== undefined);
    }
    this.pushLater(ctx);
  }

  private gatewaySettled(ctx: SourceContext, outcome: Outcome<ProviderStatus>): void {
    const now = new Date(this.now());
    if (outcome.ok) {
      this.emitDrafts(ctx, this.topology.providerUp(now));
    } else {
      this.logFailure(ctx, 'provider', outcome, this.gateway?.value !== undefined);
      if (this.gateway!.consecutiveFailures >= this.config.providerFailAfter)
        this.emitDrafts(ctx, this.topology.providerFailed(`gateway: ${outcome.message}`, now));
    }
    this.pushLater(ctx);
  }

  private emitDrafts(ctx: SourceContext, drafts: Draft[]): void {
    if (drafts.length > 0) ctx.emit({ records: drafts.map((d) => ({ v: 1, ...d, emitter: ctx.emitter, seq: ctx.nextSeq() })) });
  }

  /**
   * A read that ended after its collection returned publishes its samples at once. Deferred to the next turn of
   * the event loop so a collection frame already on its way (computed before this read ended) lands first.
   */
  private pushLater(ctx: SourceContext): void {
    setImmediate(() => {
      if (!this.stopping.signal.aborted) ctx.emit({ observations: this.observations() });
    });
  }

  private logFailure(ctx: SourceContext, part: string, outcome: Outcome<unknown> & { ok: false }, cached: boolean): void {
    const level = CORRUPT_KINDS.has(outcome.kind) ? 'warn' : 'info';
    const serving = cached ? 'serving the last good values (stale)' : 'nothing cached yet';
    ctx.logger[level]({ source: 'akash', part, kind: outcome.kind }, `akash ${part}: ${outcome.message}; ${serving}`);
  }
}

/** Waits for `work`, or returns early when the collection is abandoned (the work itself carries on). */
function untilAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    work.then(done, done);
  });
}
