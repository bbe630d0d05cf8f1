// The collector's own counters (exported as hmx.collector.* and shown on /status).
export class CollectorStats {
  readonly errors = new Map<string, number>(); // `${source}\0${reason}`
  readonly retries = new Map<string, number>();
  readonly dropped = new Map<string, number>(); // `${source}\0${reason}`
  readonly exportFailures = new Map<string, number>();
  readonly exportSuccesses = new Map<string, number>();
  /** Histogram hook, set by the exporter once its meter exists. */
  recordDuration: (source: string, seconds: number) => void = () => undefined;

  bump(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }

  static key(a: string, b: string): string {
    return `${a}\u0000${b}`;
  }

  static split(key: string): [string, string] {
    const i = key.indexOf('\u0000');
    return [key.slice(0, i), key.slice(i + 1)];
  }

  droppedTotal(): number {
    let n = 0;
    for (const v of this.dropped.values()) n += v;
    return n;
  }
}
