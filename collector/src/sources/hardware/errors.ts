// Read and parse failures, counted by sensor and reason as the semconv `hw.errors` counter (cumulative), so an
// unreadable input or an unparseable ipmitool line shows up as a series rather than as a silently missing one.
import type { Observation } from '../../core/observation.js';

export interface HwError {
  'hw.id': string;
  'hw.type'?: string;
  'error.type': string;
}

export class ErrorCounts {
  private readonly totals = new Map<string, { attributes: HwError; count: number }>();

  add(attributes: HwError): void {
    const key = JSON.stringify([attributes['hw.id'], attributes['hw.type'], attributes['error.type']]);
    const entry = this.totals.get(key) ?? { attributes, count: 0 };
    entry.count++;
    this.totals.set(key, entry);
  }

  total(): number {
    let n = 0;
    for (const e of this.totals.values()) n += e.count;
    return n;
  }

  observations(): Observation[] {
    return [...this.totals.values()].map(({ attributes, count }) => ({ metric: 'hw.errors', value: count, attributes: { ...attributes } }));
  }
}

/** A short bounded reason for a failed sysfs read: the errno code (eio, eacces, enodata …), never the message. */
export function readFailureReason(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z]{2,16}$/.test(code) ? code.toLowerCase() : 'read_error';
}
