/** Query resolution limits of the stores the panel reads (Prometheus and Loki defaults). */
export const MAX_POINTS = 11_000;
export const PROMETHEUS_MAX_SAMPLES = 50_000_000;
/** Loki's max_query_length (30d1h): longer ranges are split */
export const LOKI_MAX_QUERY_MS = 721 * 3_600_000;

const NICE_MS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map(
  (s) => s * 1000
);

/** The smallest "nice" step for [from, to) that gives at most `bins` points, stays under 11,000 points
 * per series and keeps series × points under Prometheus' max-samples (every series is loaded at every
 * step, aggregated or not). */
export function chooseStep(rangeMs: number, bins: number, series = 1): number {
  const points = Math.max(1, Math.min(bins, MAX_POINTS, Math.floor(PROMETHEUS_MAX_SAMPLES / Math.max(1, series))));
  const min = Math.ceil(rangeMs / points);
  return NICE_MS.find((s) => s >= min) ?? Math.ceil(min / 86_400_000) * 86_400_000;
}

/** [from, to) in consecutive pieces no longer than maxMs. */
export function splitRange(from: number, to: number, maxMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let a = from; a < to; a += maxMs) {
    out.push([a, Math.min(to, a + maxMs)]);
  }
  return out;
}
