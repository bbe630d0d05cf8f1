// The daemon kinds the source can probe (the two Helix services), each with its own /status schema,
// and what a valid body tells: whether the daemon calls itself healthy, and the values it reports.
import type { FieldError, Validation } from '@harmonix/contract';
import { validateResearchStatus } from './research-status.js';
import { validateShadowStatus, type Dissonance } from './shadow-status.js';

export const DAEMON_KINDS = ['shadow-metrics', 'dissonance-research'] as const;
export type DaemonKind = (typeof DAEMON_KINDS)[number];

/** Values a healthy daemon reported; a kind that does not report one leaves it out. */
export interface StatusReading {
  version?: string;
  uptimeSeconds?: number;
  /** Null: the daemon has no dissonance data yet. */
  dissonance?: Dissonance | null;
}

export type StatusCheck =
  | { ok: true; reading: StatusReading }
  /** `schema`: the body is not the kind's document; `not_ok`: a valid body in which the daemon reports itself unhealthy. */
  | { ok: false; error: 'schema' | 'not_ok'; reason: string };

const schemaFailure = (errors: FieldError[]): StatusCheck => ({
  ok: false,
  error: 'schema',
  reason: `invalid /status: ${errors.map((e) => `${e.field} ${e.expected}`).join('; ')}`,
});

function check<T>(v: Validation<T>, read: (value: T) => StatusCheck): StatusCheck {
  return v.ok ? read(v.value) : schemaFailure(v.errors);
}

/** What the parsed JSON body of a `kind` daemon's /status says. */
export function readStatus(kind: DaemonKind, body: unknown): StatusCheck {
  switch (kind) {
    case 'shadow-metrics':
      return check(validateShadowStatus(body), (s) => ({
        ok: true,
        reading: { version: s.version, uptimeSeconds: s.uptime_seconds, dissonance: s.dissonance },
      }));
    case 'dissonance-research':
      return check(validateResearchStatus(body), (s) =>
        s.ok ? { ok: true, reading: {} } : { ok: false, error: 'not_ok', reason: 'status reports "ok": false' },
      );
  }
}
