// Loki's timestamp and duration parsing (pkg/loghttp/params.go, Prometheus model.ParseDuration).

/** A query error Loki answers with 400 and a plain-text body. */
export class LokiError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Loki's parseTimestamp: a float → seconds; an integer of ≤ 10 digits → seconds; longer → ns; else RFC 3339. */
export function parseTimestampNs(value: string, field: string): bigint {
  if (/^-?\d+\.\d*$/.test(value)) {
    const [s, frac = ''] = value.split('.');
    return BigInt(s!) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
  }
  if (/^-?\d+$/.test(value)) {
    return value.replace('-', '').length <= 10 ? BigInt(value) * 1_000_000_000n : BigInt(value);
  }
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new LokiError(`invalid ${field}: could not parse '${value}' as a timestamp`);
  }
  const frac = /\.(\d+)/.exec(value)?.[1] ?? '';
  return BigInt(Math.floor(ms / 1000)) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

/** `1h30m`, `5m`, `250ms` → ns; undefined when it is not a duration. */
export function parseDurationNs(value: string): bigint | undefined {
  if (!/^(\d+(ns|us|µs|ms|s|m|h|d|w|y))+$/.test(value)) {
    return undefined;
  }
  let total = 0n;
  for (const [, n, unit] of value.matchAll(/(\d+)(ns|us|µs|ms|s|m|h|d|w|y)/g)) {
    total += BigInt(n!) * UNIT_NS[unit!]!;
  }
  return total;
}

/** Go's time.Duration String(): 721h0m0s, 30m0s, 1.5s. */
export function formatDuration(ns: bigint): string {
  const h = ns / 3_600_000_000_000n;
  const m = (ns / 60_000_000_000n) % 60n;
  const s = Number(ns % 60_000_000_000n) / 1e9;
  return h > 0n ? `${h}h${m}m${s}s` : m > 0n ? `${m}m${s}s` : `${s}s`;
}
