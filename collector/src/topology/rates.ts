// Per-edge message rates over a sliding window of source time, for /v1/topology and the preview.
const WINDOW_MS = 10_000;

export class FlowRates {
  private readonly samples = new Map<string, { t: number; messages: number }[]>();
  /** The newest sample time seen: edges with nothing inside the window ending there are forgotten. */
  private newest = -Infinity;
  private lastSweep = -Infinity;

  add(from: string, to: string, t: number, messages: number): void {
    const key = `${from}\u0000${to}`;
    const list = this.samples.get(key) ?? [];
    list.push({ t, messages });
    while (list.length > 0 && list[0]!.t < t - WINDOW_MS) list.shift();
    this.samples.set(key, list);
    if (t > this.newest) this.newest = t;
    // Edges between actors that came and went would otherwise stay in the map for the process's life.
    if (this.newest - this.lastSweep >= WINDOW_MS) this.sweep();
  }

  /** Messages per second on the edge over the last window ending at `now` (source time). */
  rate(from: string, to: string, now: number): number {
    const list = this.samples.get(`${from}\u0000${to}`);
    if (!list) return 0;
    const total = list.filter((s) => s.t >= now - WINDOW_MS).reduce((a, s) => a + s.messages, 0);
    return total / (WINDOW_MS / 1000);
  }

  /** Edges tracked (what a sweep keeps bounded). */
  get size(): number {
    return this.samples.size;
  }

  private sweep(): void {
    this.lastSweep = this.newest;
    const from = this.newest - WINDOW_MS;
    for (const [key, list] of this.samples) if (list[list.length - 1]!.t < from) this.samples.delete(key);
  }
}
