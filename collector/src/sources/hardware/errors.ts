// Read and parse failures, counted by sensor and reason as the semconv `hw.errors` counter (cumulative), so an
// unreadable input or an unparseable ipmitool line shows up as a series rather than as a silently missing one.
// A sensor that is no longer listed (its chip was unloaded or unplugged) takes its error series with it, like its
// other series: a read that raced the removal must not leave a count behind for a sensor that is gone.
import { type CollectionProblems, PROBLEM_EXAMPLES } from '../../core/health.js';
import type { Observation } from '../../core/observation.js';

export interface HwError {
  'hw.id': string;
  'hw.type'?: string;
  'error.type': string;
}

export class ErrorCounts {
  private readonly totals = new Map<string, { attributes: HwError; count: number }>();
  /** The failures since the last beginCycle(): what /status shows for the latest collection. */
  private cycle: HwError[] = [];
  /** The sensors listed in the latest collection, readable or not. */
  private listed = new Set<string>();

  beginCycle(): void {
    this.cycle = [];
    this.listed = new Set();
  }

  /** A sensor (or the ipmitool run, `hw.id`=ipmi) was listed in this collection, whether its read succeeds or not. */
  present(id: string): void {
    this.listed.add(id);
  }

  /** The latest collection's failures, or undefined if every read succeeded. */
  cycleProblems(): CollectionProblems | undefined {
    if (this.cycle.length === 0) return undefined;
    const byReason: Record<string, number> = {};
    for (const e of this.cycle) byReason[e['error.type']] = (byReason[e['error.type']] ?? 0) + 1;
    return { failed: this.cycle.length, by_reason: byReason, examples: this.cycle.slice(0, PROBLEM_EXAMPLES).map((e) => `${e['hw.id']}: ${e['error.type']}`) };
  }

  add(attributes: HwError): void {
    this.cycle.push(attributes);
    this.listed.add(attributes['hw.id']);
    const key = JSON.stringify([attributes['hw.id'], attributes['hw.type'], attributes['error.type']]);
    const entry = this.totals.get(key) ?? { attributes, count: 0 };
    entry.count++;
    this.totals.set(key, entry);
  }

  /** The counts of the sensors listed in the latest collection; the others are forgotten. */
  observations(): Observation[] {
    for (const [key, { attributes }] of this.totals) if (!this.listed.has(attributes['hw.id'])) this.totals.delete(key);
    return [...this.totals.values()].map(({ attributes, count }) => ({ metric: 'hw.errors', value: count, attributes: { ...attributes } }));
  }
}

/** A short bounded reason for a failed sysfs read: the errno code (eio, eacces, enodata …), never the message. */
export function readFailureReason(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z]{2,16}$/.test(code) ? code.toLowerCase() : 'read_error';
}
