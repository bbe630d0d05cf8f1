// The surface's route table: a fixed set of exact paths (no parameters), looked up in a map. HEAD is served by a
// GET route; a known path with another method is 405 with Allow, an unknown one 404.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface SurfaceRequest {
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The checked UTF-8 body of a POST ('' when it had none). */
  body: string;
}

export interface SurfaceReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: SurfaceRequest) => SurfaceReply | Promise<SurfaceReply>;
/** A handler that writes the response itself (Prometheus text from the SDK's exporter). */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Routes {
  get(path: string, handler: RouteHandler): void;
  post(path: string, handler: RouteHandler): void;
  raw(path: string, handler: RawHandler): void;
}

/** Extra routes; admission (token, Host, Origin) has already run for them, before any body was read. */
export type RouteExtension = (routes: Routes) => void;

export const ok = (body: unknown, status = 200): SurfaceReply => ({ status, body });

/** The error body every route uses: `{ errors: [{ index, field, expected }] }`. */
export const problem = (status: number, field: string, expected: string, index: number | null = null): SurfaceReply => ({
  status,
  body: { errors: [{ index, field, expected }] },
});

export type Match =
  { kind: 'json'; method: 'GET' | 'POST'; handler: RouteHandler } | { kind: 'raw'; handler: RawHandler } | { kind: 'none'; reply: SurfaceReply };

export class RouteTable implements Routes {
  private readonly byPath = new Map<string, { GET?: RouteHandler; POST?: RouteHandler; raw?: RawHandler }>();

  get(path: string, handler: RouteHandler): void {
    this.add(path, 'GET', handler);
  }

  post(path: string, handler: RouteHandler): void {
    this.add(path, 'POST', handler);
  }

  raw(path: string, handler: RawHandler): void {
    this.add(path, 'raw', handler);
  }

  match(method: string, path: string): Match {
    const entry = this.byPath.get(path);
    if (!entry) return { kind: 'none', reply: problem(404, 'path', `one of ${[...this.byPath.keys()].sort().join(', ')}`) };
    if (entry.raw && (method === 'GET' || method === 'HEAD')) return { kind: 'raw', handler: entry.raw };
    if (entry.GET && (method === 'GET' || method === 'HEAD')) return { kind: 'json', method: 'GET', handler: entry.GET };
    if (entry.POST && method === 'POST') return { kind: 'json', method: 'POST', handler: entry.POST };
    const allow = [...(entry.GET || entry.raw ? ['GET', 'HEAD'] : []), ...(entry.POST ? ['POST'] : [])].join(', ');
    return { kind: 'none', reply: { ...problem(405, 'method', `one of ${allow}`), headers: { allow } } };
  }

  private add(path: string, method: 'GET' | 'POST' | 'raw', handler: RouteHandler | RawHandler): void {
    const entry = this.byPath.get(path) ?? {};
    if (entry[method]) throw new Error(`route ${method} ${path} is registered twice`);
    Object.assign(entry, { [method]: handler });
    this.byPath.set(path, entry);
  }
}
