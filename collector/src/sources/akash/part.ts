// One part (chain or provider): its last good value, how fresh it is, its backoff, and the read in flight.
// Parts are independent: each has at most one read running, and a part with a cached value is never waited for.
import type { DataState } from '../../core/health.js';
import { failureKind, messageOf, type FailureKind } from './errors.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; kind: FailureKind; message: string };

export class Part<T> {
  value: T | undefined;
  /** Wall time (ms) when the read that produced `value` started: the data is at least this recent. */
  goodAt: number | undefined;
  consecutiveFailures = 0;
  lastError: { kind: FailureKind; message: string } | undefined;
  /** Failed reads by kind, cumulative. */
  readonly failures = new Map<FailureKind, number>();
  private skip = 0;
  private inFlightSince: number | undefined;
  private inFlight: Promise<void> | undefined;

  /** @param slowAfterMs a read running longer than this makes the cached value stale */
  constructor(
    private readonly maxBackoffCycles: number,
    private readonly slowAfterMs: number,
  ) {}

  /**
   * Starts a read unless one is still running or the part sits out its backoff, and returns the running read
   * (undefined when none runs). `settled` gets each outcome and the read's start time as soon as the read ends.
   * Backoff counts collections, not seconds: after n consecutive failures the part sits out
   * min(2^(n-1) − 1, maxBackoffCycles) collections, serving its cached value marked stale meanwhile.
   * With nothing cached there is nothing to serve, so it always reads (the scheduler's own backoff applies then).
   */
  poll<R>(read: () => Promise<R>, keep: (r: R) => T, now: () => number, settled: (outcome: Outcome<R>, startedAt: number) => void): Promise<void> | undefined {
    if (this.inFlight) return this.inFlight;
    if (this.skip > 0 && this.value !== undefined) {
      this.skip--;
      return undefined;
    }
    const startedAt = now();
    this.inFlightSince = startedAt;
    this.inFlight = read().then(
      (r) => {
        this.value = keep(r);
        this.goodAt = startedAt;
        this.consecutiveFailures = 0;
        this.skip = 0;
        this.lastError = undefined;
        this.end();
        settled({ ok: true, value: r }, startedAt);
      },
      (err: unknown) => {
        const kind = failureKind(err);
        const message = messageOf(err);
        this.consecutiveFailures++;
        this.skip = Math.min(2 ** (this.consecutiveFailures - 1) - 1, this.maxBackoffCycles);
        this.lastError = { kind, message };
        this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
        this.end();
        settled({ ok: false, kind, message }, startedAt);
      },
    );
    return this.inFlight;
  }

  /** The read in flight, if any. */
  get running(): Promise<void> | undefined {
    return this.inFlight;
  }

  /**
   * fresh: the last read succeeded and no read has been running longer than the threshold; stale: a cached value is
   * served although the last read failed, the part is backing off, or its read is overdue; failing: nothing to serve.
   */
  state(now: number): DataState {
    if (this.value === undefined) return this.consecutiveFailures > 0 ? 'failing' : 'starting';
    if (this.consecutiveFailures > 0 || this.skip > 0) return 'stale';
    if (this.inFlightSince !== undefined && now - this.inFlightSince > this.slowAfterMs) return 'stale';
    return 'fresh';
  }

  /** Seconds since the data was read (undefined before the first good read). */
  ageSeconds(now: number): number | undefined {
    return this.goodAt === undefined ? undefined : Math.max(0, (now - this.goodAt) / 1000);
  }

  private end(): void {
    this.inFlight = undefined;
    this.inFlightSince = undefined;
  }
}
