// The watch half of client-node's ListWatch informer, reimplemented so that bookmarks are requested, the stream is
// read line by line without losing a trailing event, and malformed lines or objects are counted and skipped before
// they reach the informer cache (client-node's own Watch drops bad JSON silently and would pass on bad objects).
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { LineSplitter, type Line } from '../../core/lines.js';
import { apiUrl, KubeApiError, open, statusError, type Query } from './http.js';
import { problemWith, type Resource } from './objects.js';

export interface WatchHooks {
  /** A watch is about to open: whatever the informer listed before it is in its cache now. */
  opening(): void;
  /** The server answered 200: the watch is established. */
  connected(): void;
  /** A line or object was skipped (the reason names the field). */
  malformed(reason: string): void;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);
/** etcd stores objects of at most 1.5 MiB; an event line far beyond that is not one the API server sends. */
const MAX_EVENT_BYTES = 8 << 20;

export class StreamWatch extends Watch {
  constructor(
    kc: KubeConfig,
    private readonly resource: Resource,
    private readonly hooks: WatchHooks,
  ) {
    super(kc);
  }

  override async watch(
    path: string,
    queryParams: Query,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    this.hooks.opening();
    const controller = new AbortController();
    let finished = false;
    const finish = (err: unknown) => {
      if (finished) return;
      finished = true;
      controller.abort();
      done(err);
    };
    // Aborted by the informer (stop, or restart after done): a quiet end, not an error.
    controller.signal.addEventListener('abort', () => finish(null), { once: true });
    try {
      // Like client-go: the server ends each watch after 5-10 minutes (spreading reconnects); a stream silent for
      // longer than that (no event, no bookmark) is a dead connection.
      const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
      const url = apiUrl(this.config, path, { ...queryParams, watch: 'true', allowWatchBookmarks: 'true', timeoutSeconds });
      const res = await open(this.config, url, controller.signal, (timeoutSeconds + 60) * 1000);
      if (res.statusCode !== 200) {
        finish(await statusError(res, url));
        return controller;
      }
      this.hooks.connected();
      const lines = new LineSplitter(MAX_EVENT_BYTES);
      const each = (line: Line) => (line.truncated ? this.hooks.malformed(`watch event over ${MAX_EVENT_BYTES} bytes`) : this.line(line.text, callback));
      res.on('data', (chunk: Buffer) => lines.push(chunk).forEach(each));
      res.on('end', () => {
        lines.end().forEach(each);
        finish(null);
      });
      res.on('error', (err) => finish(new KubeApiError(`watch ${path}: ${err.message}`, undefined, 'stream')));
      // A connection that closes without a clean end of stream was dropped (after 'end', finish is a no-op).
      res.on('close', () => finish(new KubeApiError(`watch ${path}: connection dropped`, undefined, 'stream')));
    } catch (err) {
      finish(err);
    }
    return controller;
  }

  private line(line: string, callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void): void {
    if (line.trim() === '') return;
    let event: { type?: unknown; object?: unknown };
    try {
      event = JSON.parse(line) as { type?: unknown; object?: unknown };
    } catch {
      return this.hooks.malformed('watch line is not JSON');
    }
    const { type, object } = event ?? {};
    if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return this.hooks.malformed('watch event: unknown type');
    if (typeof object !== 'object' || object === null) return this.hooks.malformed(`${type} event: object missing`);
    if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
      const problem = problemWith(this.resource, object);
      if (problem) return this.hooks.malformed(`${type} ${this.resource}: ${problem}`);
    }
    if (type === 'BOOKMARK' && typeof (object as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion !== 'string') {
      return this.hooks.malformed('BOOKMARK event: object.metadata.resourceVersion: expected a string');
    }
    callback(type, object, event);
  }
}
