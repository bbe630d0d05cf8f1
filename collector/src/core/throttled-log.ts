// Warnings about a repeating condition (drops, anomalies): at most one line per key per interval, so a storm is
// counted in metrics without flooding the log.
import type { Logger } from './logger.js';

export function throttledWarn(logger: Logger, intervalMs = 60_000, now: () => number = Date.now) {
  const last = new Map<string, number>();
  return (key: string, fields: object, message: string): void => {
    const t = now();
    if (t - (last.get(key) ?? -Infinity) < intervalMs) return;
    last.set(key, t);
    logger.warn(fields, `${message} (further ones muted for ${Math.round(intervalMs / 1000)} s)`);
  };
}
