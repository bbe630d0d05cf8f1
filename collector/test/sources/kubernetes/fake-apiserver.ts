// A protocol-faithful fake of the Kubernetes API server for nodes, pods and metrics.k8s.io, on 127.0.0.1:
// lists carry metadata.resourceVersion; `?watch=true|1` answers a chunked stream of one JSON event per line
// (ADDED/MODIFIED/DELETED/BOOKMARK/ERROR) resumed from the requested resourceVersion; a resourceVersion older than
// the compaction point gets the Status 410 Expired event; connections can be dropped and the server taken down.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Resource = 'nodes' | 'pods';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Watcher {
  resource: Resource;
  namespace?: string;
  selector: (labels: Record<string, string>) => boolean;
  bookmarks: boolean;
  res: ServerResponse;
  /** Frozen watchers receive nothing (a window in which the client misses changes). */
  frozen: boolean;
}

interface HistoryEntry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: Resource;
  object: Obj;
}

const KIND: Record<Resource, string> = { nodes: 'Node', pods: 'Pod' };

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Obj = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Equality-based label selectors: `a=b`, `a==b`, `a!=b`, `a`, `!a`, comma-separated. */
export function parseSelector(text: string): (labels: Record<string, string>) => boolean {
  const terms = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return (labels) =>
    terms.every((t) => {
      const ne = t.split('!=');
      if (ne.length === 2) return labels[ne[0]!.trim()] !== ne[1]!.trim();
      const eq = t.split(/==?/);
      if (eq.length === 2) return labels[eq[0]!.trim()] === eq[1]!.trim();
      return t.startsWith('!') ? !(t.slice(1) in labels) : t in labels;
    });
}

const keyOf = (resource: Resource, obj: Obj, fallback: string) => {
  const name = obj?.metadata?.name;
  if (typeof name !== 'string') return fallback;
  return resource === 'pods' ? `${obj.metadata.namespace}/${name}` : name;
};

export class FakeApiServer {
  rv = 1000;
  private compactedRv = 0;
  private readonly store: Record<Resource, Map<string, Obj>> = { nodes: new Map(), pods: new Map() };
  private history: HistoryEntry[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  /** Every request, for assertions on what the client asked for. */
  readonly requests: { path: string; query: Record<string, string>; authorization?: string }[] = [];
  /** metrics.k8s.io PodMetrics items; undefined: the API is not installed (404). */
  podMetrics?: Obj[];
  /** Answer a watch from a compacted resourceVersion with HTTP 410 instead of a 200 stream holding the ERROR event. */
  goneAsHttp = false;
  port = 0;

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stop listening and cut every connection (the API server is unreachable until start(port) again). */
  async stop(): Promise<void> {
    this.watchers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Open (unfrozen) watch connections on the resource. */
  watching(resource: Resource): number {
    return [...this.watchers].filter((w) => w.resource === resource && !w.frozen).length;
  }

  objects(resource: Resource): Obj[] {
    return [...this.store[resource].values()];
  }

  get(resource: Resource, key: string): Obj | undefined {
    return this.store[resource].get(key);
  }

  add(resource: Resource, object: Obj): Obj {
    const obj = structuredClone(object);
    obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(++this.rv) };
    this.store[resource].set(keyOf(resource, obj, `#${this.rv}`), obj);
    this.record('ADDED', resource, obj);
    return obj;
  }

  modify(resource: Resource, key: string, patch: Obj): Obj {
    const current = this.mustGet(resource, key);
    const obj = mergePatch(current, patch) as Obj;
    obj.metadata.resourceVersion = String(++this.rv);
    this.store[resource].set(key, obj);
    this.record('MODIFIED', resource, obj);
    return obj;
  }

  remove(resource: Resource, key: string, patch: Obj = {}): Obj {
    const obj = mergePatch(this.mustGet(resource, key), patch) as Obj;
    obj.metadata.resourceVersion = String(++this.rv);
    this.store[resource].delete(key);
    this.record('DELETED', resource, obj);
    return obj;
  }

  /** Write a raw line (malformed JSON, a broken object) to every live watcher of the resource. */
  inject(resource: Resource, line: string): void {
    for (const w of this.watchers) if (w.resource === resource && !w.frozen) w.res.write(`${line}\n`);
  }

  /** BOOKMARK at the current resourceVersion to every watcher that allowed bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) if (!w.frozen) this.sendBookmark(w);
  }

  /** Cut every watch connection mid-stream (no terminating chunk), optionally compacting history first. */
  drop(): void {
    for (const w of this.watchers) w.res.socket?.destroy();
    this.watchers.clear();
  }

  /** Forget history up to now: a watch resuming from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = this.history.filter((h) => h.rv > this.compactedRv);
  }

  /**
   * A watch expiring mid-stream: the open watches miss `gap` (changes made while they are frozen), history is
   * compacted past them, and they get the ERROR 410 Expired event and the end of the stream.
   */
  expire(gap: () => void = () => {}): void {
    const open = [...this.watchers];
    for (const w of open) w.frozen = true;
    gap();
    this.compact();
    for (const w of open) {
      this.send(w, { type: 'ERROR', object: this.gone(w.resource) });
      w.res.end();
      this.watchers.delete(w);
    }
  }

  private gone(resource: Resource): Obj {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version for ${resource} (compacted at ${this.compactedRv})`,
      reason: 'Expired',
      code: 410,
    };
  }

  private mustGet(resource: Resource, key: string): Obj {
    const obj = this.store[resource].get(key);
    if (!obj) throw new Error(`fake apiserver: no ${resource} ${key}`);
    return obj;
  }

  private record(type: HistoryEntry['type'], resource: Resource, object: Obj): void {
    const entry = { rv: this.rv, type, resource, object: structuredClone(object) };
    this.history.push(entry);
    for (const w of this.watchers) if (!w.frozen && this.matches(w, entry.resource, entry.object)) this.send(w, entry);
  }

  private matches(w: { resource: Resource; namespace?: string; selector: Watcher['selector'] }, resource: Resource, obj: Obj): boolean {
    if (w.resource !== resource) return false;
    if (w.namespace !== undefined && obj?.metadata?.namespace !== w.namespace) return false;
    const labels = obj?.metadata?.labels;
    return w.selector(typeof labels === 'object' && labels !== null ? labels : {});
  }

  private send(w: Watcher, event: { type: string; object: Obj }): void {
    w.res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
  }

  private sendBookmark(w: Watcher): void {
    if (!w.bookmarks) return;
    this.send(w, { type: 'BOOKMARK', object: { kind: KIND[w.resource], apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) } } });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, query, authorization: req.headers.authorization });
    const route = this.route(url.pathname);
    if (!route) return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
    if (route.resource === 'metrics') {
      if (!this.podMetrics) return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
      const items = this.podMetrics.filter((m) => route.namespace === undefined || m.metadata?.namespace === route.namespace);
      return this.json(res, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
    }
    const resource = route.resource;
    const scope = { resource, namespace: route.namespace, selector: parseSelector(query.labelSelector ?? '') };
    if (query.watch === 'true' || query.watch === '1') return this.watch(res, scope, query);
    const items = this.objects(resource).filter((o) => this.matches(scope, resource, o));
    this.json(res, 200, { kind: `${KIND[resource]}List`, apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items });
  }

  private route(path: string): { resource: Resource | 'metrics'; namespace?: string } | undefined {
    if (path === '/api/v1/nodes') return { resource: 'nodes' };
    if (path === '/api/v1/pods') return { resource: 'pods' };
    if (path === '/apis/metrics.k8s.io/v1beta1/pods') return { resource: 'metrics' };
    const ns = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path);
    if (ns) return { resource: 'pods', namespace: decodeURIComponent(ns[1]!) };
    const mns = /^\/apis\/metrics\.k8s\.io\/v1beta1\/namespaces\/([^/]+)\/pods$/.exec(path);
    if (mns) return { resource: 'metrics', namespace: decodeURIComponent(mns[1]!) };
    return undefined;
  }

  private watch(res: ServerResponse, scope: Omit<Watcher, 'res' | 'frozen' | 'bookmarks'>, query: Record<string, string>): void {
    const from = query.resourceVersion ?? '';
    const expired = from !== '' && from !== '0' && Number(from) < this.compactedRv;
    if (expired && this.goneAsHttp) return this.status(res, 410, 'Expired', this.gone(scope.resource).message);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const w: Watcher = { ...scope, res, frozen: false, bookmarks: query.allowWatchBookmarks === 'true' };
    if (from === '' || from === '0') {
      for (const o of this.objects(scope.resource)) if (this.matches(w, scope.resource, o)) this.send(w, { type: 'ADDED', object: o });
    } else if (expired) {
      this.send(w, { type: 'ERROR', object: this.gone(scope.resource) });
      return void res.end();
    } else {
      for (const h of this.history) if (h.rv > Number(from) && this.matches(w, h.resource, h.object)) this.send(w, h);
    }
    this.sendBookmark(w);
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
}
