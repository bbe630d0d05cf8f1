// Per-source health, as /status reports it.
export type SourceState = 'starting' | 'ok' | 'retrying' | 'failing' | 'circuit_open' | 'stopped';

export interface SourceHealth {
  state: SourceState;
  lastSuccess?: string;
  lastError?: { time: string; reason: string; message: string };
  consecutiveFailures: number;
  collections: number;
  failures: number;
}

/** hmx.collector.source.up: 1 only while the latest attempt succeeded (a retry or an open circuit means it did not). */
export const sourceUp = (state: SourceState): 0 | 1 => (state === 'ok' ? 1 : 0);

export const newHealth = (): SourceHealth => ({ state: 'starting', consecutiveFailures: 0, collections: 0, failures: 0 });

/** A short, bounded reason label for metrics (never the raw message: that is unbounded cardinality). */
export function errorReason(err: unknown): string {
  if (err instanceof TimeoutError) return 'timeout';
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[A-Z_]{2,32}$/.test(code)) return code.toLowerCase();
  return 'error';
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`collection timed out after ${ms} ms`);
  }
}
