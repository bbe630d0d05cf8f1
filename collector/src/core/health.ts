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

/**
 * Parts of the latest collection that failed although the collection as a whole succeeded (one unreadable sensor
 * among twenty): /status `sources.<name>.problems`. Counts by reason plus a few examples, never raw messages.
 */
export interface CollectionProblems {
  failed: number;
  by_reason: Record<string, number>;
  /** At most PROBLEM_EXAMPLES "<subject>: <reason>" strings. */
  examples: string[];
}
export const PROBLEM_EXAMPLES = 10;

/** hmx.collector.source.up: 1 only while the latest attempt succeeded (a retry or an open circuit means it did not). */
export const sourceUp = (state: SourceState): 0 | 1 => (state === 'ok' ? 1 : 0);

export const newHealth = (): SourceHealth => ({ state: 'starting', consecutiveFailures: 0, collections: 0, failures: 0 });

/** How current the values a source serves are: fresh, stale but still served, failing (nothing to serve). */
export type DataState = 'starting' | 'fresh' | 'stale' | 'failing';
export const DATA_STATES: readonly DataState[] = ['starting', 'fresh', 'stale', 'failing'];

export interface DataFreshness {
  state: DataState;
  /** Seconds since the served values were read; null before the first good read. */
  age_seconds: number | null;
  /** Per part, for sources made of independently read parts. */
  parts?: Record<string, { state: DataState; age_seconds: number | null; error?: string }>;
}

/**
 * For a source that does not report its own freshness: the store keeps its last good frame, so a failing cycle
 * after a success means the old values are still served, i.e. stale.
 */
export function scheduledFreshness(health: SourceHealth, now: number): DataFreshness {
  const age = health.lastSuccess === undefined ? null : Math.max(0, (now - Date.parse(health.lastSuccess)) / 1000);
  if (health.state === 'ok') return { state: 'fresh', age_seconds: age };
  if (age === null) return { state: health.state === 'starting' ? 'starting' : 'failing', age_seconds: null };
  return { state: 'stale', age_seconds: age };
}

/** The worst of several parts' states (failing > stale > starting > fresh). */
export function worstState(states: Iterable<DataState>): DataState {
  const rank: Record<DataState, number> = { fresh: 0, starting: 1, stale: 2, failing: 3 };
  let worst: DataState = 'fresh';
  for (const s of states) if (rank[s] > rank[worst]) worst = s;
  return worst;
}

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
