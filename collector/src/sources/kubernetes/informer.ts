// One client-node ListWatch informer (list, then watch from the list's resourceVersion; 410 Gone → relist, whose
// differences the cache reports as add/update/delete) plus what client-node leaves to the caller: reconnecting with
// backoff after an error, a health verdict for /status, and counts of malformed objects and relists.
import { ListWatch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { backoffDelay, type Clock, systemClock } from '@harmonix/delivery';
import type { Logger } from '../../core/logger.js';
import { getJson, KubeApiError } from './http.js';
import { problemWith, type Resource } from './objects.js';
import { StreamWatch } from './watch.js';

export interface InformerOptions<T> {
  kc: KubeConfig;
  resource: Resource;
  path: string;
  labelSelector: string;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  logger: Logger;
  /** Waits before reconnecting (default: real time) and their jitter. */
  clock?: Clock;
  random?: () => number;
  upsert(obj: T): void;
  remove(obj: T): void;
}

type Waiter = { resolve: () => void; reject: (err: Error) => void };

export class ResourceInformer<T> {
  private readonly cache: ListWatch<KubernetesObject>;
  private readonly abort = new AbortController();
  /** The pending reconnect; a newer failure replaces it. */
  private reconnect?: AbortController;
  private attempt = 0;
  private stopped = false;
  private synced = false;
  private waiters: Waiter[] = [];
  private lists = 0;
  /** The last failure to reach the API (cleared by the next successful list or watch). */
  lastError?: Error;
  malformed = 0;

  constructor(private readonly o: InformerOptions<T>) {
    const watch = new StreamWatch(o.kc, o.resource, {
      opening: () => this.markSynced(),
      connected: () => this.healthy(),
      malformed: (reason) => this.countMalformed(reason),
    });
    this.cache = new ListWatch(o.path, watch, () => this.list(), false, o.labelSelector || undefined);
    const guard = (fn: (obj: T) => void) => (obj: KubernetesObject) => {
      try {
        fn(obj as unknown as T);
      } catch (err) {
        o.logger.error({ err, resource: o.resource }, 'kubernetes: handling an object failed');
      }
    };
    this.cache.on('add', guard(o.upsert));
    this.cache.on('update', guard(o.upsert));
    this.cache.on('delete', guard(o.remove));
    this.cache.on('error', (err: unknown) => this.failed(err));
  }

  start(): void {
    this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort(); // also cancels a pending reconnect
    await this.cache.stop();
    this.settle(new Error(`kubernetes ${this.o.resource} informer stopped`));
  }

  objects(): T[] {
    return this.cache.list() as unknown as T[];
  }

  resourceVersion(): string {
    return this.cache.latestResourceVersion();
  }

  /** Full lists after the first one. */
  get relists(): number {
    return Math.max(0, this.lists - 1);
  }

  /** Resolves once the first list is in the cache; rejects at once while the API cannot be reached. */
  whenSynced(signal: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.lastError) return Promise.reject(this.lastError);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`kubernetes ${this.o.resource}: not synced yet`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiter.resolve = () => (signal.removeEventListener('abort', onAbort), resolve());
      waiter.reject = (err) => (signal.removeEventListener('abort', onAbort), reject(err));
      this.waiters.push(waiter);
    });
  }

  private run(): void {
    this.cache.start().catch((err: unknown) => this.failed(err));
  }

  private async list(): Promise<KubernetesListObject<KubernetesObject>> {
    const body = await getJson(this.o.kc, this.o.path, { labelSelector: this.o.labelSelector }, this.abort.signal);
    const list = body as { items?: unknown; metadata?: { resourceVersion?: unknown } };
    if (!Array.isArray(list.items) || typeof list.metadata?.resourceVersion !== 'string') {
      throw new KubeApiError(`list ${this.o.path}: not a list (items and metadata.resourceVersion expected)`);
    }
    const items = list.items.filter((item) => {
      const problem = problemWith(this.o.resource, item);
      if (problem) this.countMalformed(`list ${this.o.resource}: ${problem}`);
      return !problem;
    });
    this.lists++;
    if (this.lists > 1) this.o.logger.info({ resource: this.o.resource }, 'kubernetes: relisted (watch could not resume)');
    this.healthy();
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: list.metadata.resourceVersion }, items: items as KubernetesObject[] };
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.settle();
  }

  private healthy(): void {
    if (this.lastError) this.o.logger.info({ resource: this.o.resource }, 'kubernetes: API reachable again');
    this.lastError = undefined;
    this.attempt = 0;
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    const error = err instanceof Error ? err : new Error(String(err));
    const dropped = error instanceof KubeApiError && error.phase === 'stream';
    if (!dropped) {
      this.lastError = error;
      this.settle(error);
    }
    const backoff = { baseMs: this.o.reconnectInitialMs, maxMs: this.o.reconnectMaxMs };
    const delay = Math.round(backoffDelay(this.attempt, backoff, this.o.random ?? Math.random));
    this.attempt++;
    this.o.logger.warn({ resource: this.o.resource, err: error.message, retryInMs: delay }, 'kubernetes: watch interrupted, reconnecting');
    this.reconnect?.abort();
    const pending = (this.reconnect = new AbortController());
    (this.o.clock ?? systemClock).sleep(delay, AbortSignal.any([this.abort.signal, pending.signal])).then(
      () => this.run(),
      () => undefined, // replaced by a newer failure, or stopped
    );
  }

  private countMalformed(reason: string): void {
    this.malformed++;
    this.o.logger.warn({ resource: this.o.resource, reason }, 'kubernetes: skipped a malformed object');
  }

  private settle(err?: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (err) w.reject(err);
      else w.resolve();
    }
  }
}
