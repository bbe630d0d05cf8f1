// The one exponential backoff of every retry loop (scheduler, alert hooks, SDK delivery, Kubernetes watches, flight
// recorder shipping and replay): bounded, with "equal jitter".

export interface Backoff {
  /** Ceiling of the first retry's wait; it doubles per retry. */
  baseMs: number;
  /** No wait is ever longer. */
  maxMs: number;
}

/**
 * The wait before retry `attempt` (0 = the first retry): uniform in [ceiling/2, ceiling), ceiling =
 * min(maxMs, baseMs × 2^attempt). This is "equal jitter" as the AWS Architecture Blog's "Exponential Backoff And
 * Jitter" names it (not "full jitter", which is uniform in [0, ceiling)): half of the step is kept, so waits still
 * grow and never collapse to zero; the random half spreads clients that failed together. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  // The exponent is clamped: 2^1024 is Infinity, and 0 × Infinity would be NaN for a zero base.
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(0, attempt), 40));
  return ceiling / 2 + (random() * ceiling) / 2;
}
