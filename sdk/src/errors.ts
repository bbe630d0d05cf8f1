// Errors the SDK reports through `onError` (it never throws from the runtime's hot path for telemetry problems).
import type { FieldError } from '@harmonix/contract';

export type SdkErrorKind =
  /** A record the runtime asked for does not fit the contract (never buffered). */
  | 'invalid-record'
  /** The collector rejected records of a batch (400); those records were removed, the rest resent. */
  | 'rejected'
  /** 401/403: token missing or wrong; the batch was dropped. */
  | 'unauthorized'
  /** 413 for a single record: it can never fit, it was dropped. */
  | 'too-large'
  /** Network error or 5xx/429: the batch is retried with backoff. */
  | 'retrying'
  /** Records given up on (buffer full, or close() deadline passed). */
  | 'dropped';

export class SdkError extends Error {
  constructor(
    readonly kind: SdkErrorKind,
    message: string,
    readonly details: { status?: number; records?: number; errors?: FieldError[] } = {},
  ) {
    super(message);
    this.name = 'SdkError';
  }
}
