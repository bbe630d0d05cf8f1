// Why a read of the chain or the gateway failed, in a few stable words (used as a metric attribute).
export const FAILURE_KINDS = [
  'timeout', // slower than the configured threshold
  'unreachable', // connection refused, reset, DNS
  'http', // non-2xx status
  'rpc_error', // a JSON-RPC error object, or an ABCI query with a non-zero code
  'unsupported_chain', // the node does not serve akash.market.v1beta5
  'tls', // certificate fingerprint mismatch or TLS failure
  'json', // body is not JSON / not JSON-RPC 2.0
  'protobuf', // ABCI value that does not decode as the expected message
  'schema', // well-formed but wrong types or values
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Kinds that mean the peer sent something corrupt (counted as rejected responses), not that it was away or slow. */
export const CORRUPT_KINDS: ReadonlySet<FailureKind> = new Set(['json', 'protobuf', 'schema']);

export class AkashReadError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AkashReadError';
  }
}

/** The kind of any error: ours carry it, anything else thrown while decoding counts as `schema`. */
export function failureKind(err: unknown, fallback: FailureKind = 'schema'): FailureKind {
  return err instanceof AkashReadError ? err.kind : fallback;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
