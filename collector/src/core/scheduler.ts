// Runs one source: its own interval and timeout, retries with exponential backoff (core/backoff.ts), a circuit breaker.
// Each source has its own loop, so a slow or failing one never stalls another.
import { backoffDelay, type Clock } from '@harmonix/delivery';
import { errorReason, newHealth, scheduledFreshness, TimeoutError, type DataFreshness, type SourceHealth } from './health.js';
import type { Frame, Source, SourceContext, SourceSchedule } from './source.js';

export interface RunnerHooks {
  onFrame(source: Source, frame: Frame): void;
  onAttempt?(source: Source, ok: boolean, seconds: number, reason?: string): void;
  onRetry?(source: Source): void;
}

export class SourceRunner {
  readonly health: SourceHealth = newHealth();
  private circuitOpenUntil = 0;
  /** Ends the wait of an open circuit early (wake()). */
  private cooldown?: AbortController;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly source: Source,
    private readonly schedule: SourceSchedule,
    private readonly ctx: SourceContext,
    private readonly hooks: RunnerHooks,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  /** How current the values this source serves are (the source's own view when it has one). */
  freshness(now: number): DataFreshness {
    return this.source.freshness?.(now) ?? scheduledFreshness(this.health, now);
  }

  /** Loops until `signal` aborts. Never throws. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = this.clock.now();
      if (started < this.circuitOpenUntil) {
        this.cooldown = new AbortController();
        await this.pause(this.circuitOpenUntil - started, AbortSignal.any([signal, this.cooldown.signal]));
        if (this.cooldown.signal.aborted) this.circuitOpenUntil = this.clock.now(); // woken: the trial is due now
        this.cooldown = undefined;
        continue;
      }
      // Half-open: after the cooldown one attempt decides, without retries — success closes the circuit at once,
      // failure opens it for another cooldown.
      await this.cycle(signal, this.circuitOpenUntil > 0 ? 0 : this.schedule.retries);
      if (this.circuitOpenUntil > this.clock.now()) continue; // open: the (wakeable) cooldown replaces the interval
      const elapsed = this.clock.now() - started;
      await this.pause(Math.max(0, this.schedule.intervalMs - elapsed), signal);
    }
    this.health.state = 'stopped';
  }

  /**
   * The source shows life by itself (a watch delivered records) while its circuit is open: make the half-open
   * trial now instead of at the end of the cooldown, so health follows the truth. At most one early trial per
   * `backoffMaxMs`, so a chatty source cannot turn the breaker into a busy loop against a broken API.
   */
  wake(): void {
    if (!this.cooldown || this.clock.now() - this.lastAttemptAt < this.schedule.backoffMaxMs) return;
    this.cooldown.abort();
  }

  /** One collection cycle: the first attempt plus up to `retries` retries. */
  async cycle(signal: AbortSignal, retries = this.schedule.retries): Promise<boolean> {
    for (let attempt = 0; attempt <= retries && !signal.aborted; attempt++) {
      if (attempt > 0) {
        this.health.state = 'retrying';
        this.hooks.onRetry?.(this.source);
        await this.pause(backoffDelay(attempt - 1, { baseMs: this.schedule.backoffBaseMs, maxMs: this.schedule.backoffMaxMs }, this.random), signal);
        if (signal.aborted) return false;
      }
      if (await this.attempt(signal)) {
        this.health.state = 'ok';
        this.health.consecutiveFailures = 0;
        this.circuitOpenUntil = 0;
        this.health.lastSuccess = new Date(this.clock.now()).toISOString();
        return true;
      }
    }
    this.health.consecutiveFailures++;
    if (this.health.consecutiveFailures >= this.schedule.circuitThreshold) {
      this.circuitOpenUntil = this.clock.now() + this.schedule.circuitCooldownMs;
      this.health.state = 'circuit_open';
    } else {
      this.health.state = 'failing';
    }
    return false;
  }

  private async attempt(signal: AbortSignal): Promise<boolean> {
    const started = this.clock.now();
    this.lastAttemptAt = started;
    const attemptAbort = new AbortController();
    const stop = () => attemptAbort.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    try {
      // Rejects on timeout only; an aborted sleep (attempt over) settles nothing, so no stray rejection.
      const timeout = new Promise<never>((_, reject) => {
        this.clock.sleep(this.schedule.timeoutMs, attemptAbort.signal).then(
          () => reject(new TimeoutError(this.schedule.timeoutMs)),
          () => undefined,
        );
      });
      const frame = await Promise.race([this.source.collect(this.ctx, attemptAbort.signal), timeout]);
      this.health.collections++;
      this.hooks.onAttempt?.(this.source, true, (this.clock.now() - started) / 1000);
      this.hooks.onFrame(this.source, frame);
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      const reason = errorReason(err);
      this.health.failures++;
      this.health.lastError = { time: new Date(this.clock.now()).toISOString(), reason, message: String((err as Error)?.message ?? err).slice(0, 500) };
      this.hooks.onAttempt?.(this.source, false, (this.clock.now() - started) / 1000, reason);
      return false;
    } finally {
      signal.removeEventListener('abort', stop);
      attemptAbort.abort(); // cancels the timeout timer and tells the source to give up
    }
  }

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    await this.clock.sleep(ms, signal).catch(() => undefined);
  }
}
