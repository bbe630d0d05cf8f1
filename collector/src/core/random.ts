// The one seeded PRNG (mulberry32): the demo's traffic and chaos, and every test that draws random data, are
// reproducible from a seed (a failing seed can be rerun).
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(items.length)];
  }
}

/** The same generator as a bare `() => number`, where a `random` function is injected (Math.random's shape). */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}
