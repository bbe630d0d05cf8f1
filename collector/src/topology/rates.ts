// Per-edge message rates over a sliding window of source time, for /v1/topology and the preview.
const WINDOW_MS = 10_000;

export class FlowRates {
  private readonly samples = new Map<string, { t: number; messages: number }[]>();

  add(from: string, to: string, t: number, messages: number): void {
    const key = `${from}\u0000${to}`;
    const list = this.samples.get(key) ?? [];
    list.push({ t, messages });
    while (list.length > 0 && list[0]!.t < t - WINDOW_MS) list.shift();
    this.samples.set(key, list);
  }

  /** Messages per second on the edge over the last window ending at `now` (source time). */
  rate(from: string, to: string, now: number): number {
    const list = this.samples.get(`${from}\u0000${to}`);
    if (!list) return 0;
    const total = list.filter((s) => s.t >= now - WINDOW_MS).reduce((a, s) => a + s.messages, 0);
    return total / (WINDOW_MS / 1000);
  }
}
