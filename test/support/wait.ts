/** Polling helper shared by the test harness (readiness probes, PromQL waits, file reads). */

export interface PollOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Delay between attempts. */
  intervalMs?: number;
  /** Describes what is awaited; used in the timeout error. */
  what: string;
  /** Extra detail appended to the timeout error (e.g. last observed value, stderr tail). */
  detail?: () => string;
}

/** Thrown from an attempt to stop polling at once (e.g. the awaited process died). */
export class StopPolling extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` until it returns a value other than `undefined`, then returns that value.
 * Errors thrown by `attempt` count as "not yet" and are reported if the wait times out.
 */
export async function pollUntil<T>(attempt: () => Promise<T | undefined>, opts: PollOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 200;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      if (err instanceof StopPolling) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const parts = [`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`];
      if (lastError !== undefined) parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
      const detail = opts.detail?.();
      if (detail) parts.push(detail);
      throw new Error(parts.join('\n'));
    }
    await sleep(interval);
  }
}
