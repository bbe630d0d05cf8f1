import { LoadedWindow, loadWindow, WindowOptions } from './window';
import { QueryRunner } from './query';

export interface LoaderOptions extends WindowOptions {
  /** window length: the playhead's window is loaded whole, the next one prefetched */
  windowMs: number;
  /** windows kept (least recently used dropped first) */
  cacheSize?: number;
}

/** Windows of stored data on a fixed grid (so a seek back to a window hits the cache), loaded on demand,
 * kept in a bounded LRU cache, the window ahead prefetched while the playhead moves forward. */
export class StoredDataLoader {
  private readonly cache = new Map<number, Promise<LoadedWindow>>();
  private readonly cacheSize: number;

  constructor(
    private readonly run: QueryRunner,
    private readonly opts: LoaderOptions
  ) {
    this.cacheSize = Math.max(2, opts.cacheSize ?? 6);
  }

  windowOf(t: number): number {
    return Math.floor(t / this.opts.windowMs);
  }

  private get(k: number): Promise<LoadedWindow> {
    let p = this.cache.get(k);
    if (p) {
      // most recently used last
      this.cache.delete(k);
    } else {
      const from = k * this.opts.windowMs;
      p = loadWindow(this.run, from, from + this.opts.windowMs, this.opts);
      // a failed load is not cached: the next seek retries it
      p.catch(() => this.cache.get(k) === p && this.cache.delete(k));
    }
    this.cache.set(k, p);
    while (this.cache.size > this.cacheSize) {
      this.cache.delete(this.cache.keys().next().value as number);
    }
    return p;
  }

  /** The window holding t; with `ahead`, the next window starts loading too. */
  load(t: number, ahead = false): Promise<LoadedWindow> {
    const k = this.windowOf(t);
    const w = this.get(k);
    if (ahead) {
      void this.get(k + 1).catch(() => undefined);
    }
    return w;
  }

  get cachedWindows(): number {
    return this.cache.size;
  }
}
