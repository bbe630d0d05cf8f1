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
