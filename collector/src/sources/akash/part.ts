// The last good value of one part (chain or provider), whether it is fresh, and the backoff after failures.
import { failureKind, messageOf, type FailureKind } from './errors.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; kind: FailureKind; message: string } | { ok: 'skipped' };

export class Part<T> {
  value: T | undefined;
  /** Wall time (ms) of the last good read. */
  goodAt: number | undefined;
  /** True when the last collection read this part successfully. */
  fresh = false;
  consecutiveFailures = 0;
  lastError: { kind: FailureKind; message: string } | undefined;
  /** Failed reads by kind, cumulative. */
  readonly failures = new Map<FailureKind, number>();
  private skip = 0;

  constructor(private readonly maxBackoffCycles: number) {}

  /**
   * Reads unless backing off. Backoff counts collections, not seconds: after n consecutive failures the part sits
   * out min(2^(n-1) − 1, maxBackoffCycles) collections, serving its cached value marked stale meanwhile.
   * With nothing cached there is nothing to serve, so it always reads (the scheduler's own backoff applies then).
   */
  async refresh<R>(read: () => Promise<R>, keep: (r: R) => T, now: () => number): Promise<Outcome<R>> {
    if (this.skip > 0 && this.value !== undefined) {
      this.skip--;
      this.fresh = false;
      return { ok: 'skipped' };
    }
    try {
      const value = await read();
      this.value = keep(value);
      this.goodAt = now();
      this.fresh = true;
      this.consecutiveFailures = 0;
      this.skip = 0;
      this.lastError = undefined;
      return { ok: true, value };
    } catch (err) {
      const kind = failureKind(err);
      const message = messageOf(err);
      this.fresh = false;
      this.consecutiveFailures++;
      this.skip = Math.min(2 ** (this.consecutiveFailures - 1) - 1, this.maxBackoffCycles);
      this.lastError = { kind, message };
      this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
      return { ok: false, kind, message };
    }
  }
}
