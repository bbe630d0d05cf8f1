import { LoadedWindow, loadWindow, WindowOptions } from './window';
import { QueryRunner } from './query';

export interface LoaderOptions extends WindowOptions {
  /** window length: the playhead's window is loaded whole, the next one prefetched */
  windowMs: number;
  /** windows kept (least recently used dropped first) */
  cacheSize?: number;
  /** injected clock */
  now?: () => number;
}

/** records reach Loki this long after their time at most (OTel batch, shipper linger); a window read
 * before its end plus this is "open" and is read again on the next access after OPEN_TTL_MS */
export const INGEST_DELAY_MS = 30_000;
const OPEN_TTL_MS = 10_000;

/** Windows of stored data on a fixed grid (so a seek back to a window hits the cache), loaded on demand,
 * kept in a bounded LRU cache, the window ahead prefetched while the playhead moves forward. */
export class StoredDataLoader {
  private readonly cache = new Map<number, Promise<LoadedWindow>>();
  /** window → time after which an open window is read again */
  private readonly expires = new Map<number, number>();
  private readonly cacheSize: number;
  private readonly now: () => number;

  constructor(
    private readonly run: QueryRunner,
    private readonly opts: LoaderOptions
  ) {
    this.cacheSize = Math.max(2, opts.cacheSize ?? 6);
    this.now = opts.now ?? Date.now;
  }

  windowOf(t: number): number {
    return Math.floor(t / this.opts.windowMs);
  }

  private get(k: number): Promise<LoadedWindow> {
    let p = this.cache.get(k);
    const expiry = this.expires.get(k);
    if (p && expiry !== undefined && expiry <= this.now()) {
      this.expires.delete(k);
      p = undefined;
    }
    if (p) {
      // most recently used last
      this.cache.delete(k);
    } else {
      const from = k * this.opts.windowMs;
      const loading = loadWindow(this.run, from, from + this.opts.windowMs, this.opts, this.now);
      p = loading;
      loading.then(
        (w) => w.to + INGEST_DELAY_MS > w.readAt && this.expires.set(k, w.readAt + OPEN_TTL_MS),
        // a failed load is not cached: the next seek retries it
        () => this.cache.get(k) === loading && this.cache.delete(k)
      );
    }
    this.cache.set(k, p);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
      this.expires.delete(oldest);
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
