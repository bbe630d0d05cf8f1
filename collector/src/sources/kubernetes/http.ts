// Plain HTTP(S) requests to the API server with the kubeconfig's TLS and credentials (re-read per request, so a
// rotated service-account token is picked up). Bodies stay raw JSON: times remain the strings the server sent.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** An API error with the HTTP status (410 Gone triggers a relist) and the Status message when there is one. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    /** Where it failed: before a response (unreachable, refused) or while a watch stream was open. */
    readonly phase: 'connect' | 'stream' = 'connect',
    /** The system error code (ECONNREFUSED, ETIMEDOUT…), which /status and the error metric use as the reason. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export function apiUrl(kc: KubeConfig, path: string, query: Query = {}): URL {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeApiError('kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url;
}

/** A list or metrics request that sends nothing for this long is given up (a half-open connection). */
export const REQUEST_IDLE_MS = 60_000;

/**
 * Open a GET; resolves with the response head (any status), rejects when the server cannot be reached. A
 * connection silent for `idleMs` is destroyed, so neither a request nor a watch stream can hang forever.
 */
export async function open(kc: KubeConfig, url: URL, signal: AbortSignal, idleMs = REQUEST_IDLE_MS): Promise<IncomingMessage> {
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { ...options, method: 'GET', signal, headers: { ...options.headers, Accept: 'application/json' } }, resolve);
    req.setTimeout(idleMs, () => req.destroy(Object.assign(new Error(`no data for ${idleMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new KubeApiError(`${url.host}: ${err.message}`, undefined, 'connect', err.code)));
    req.end();
  });
}

export async function readBody(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let body = '';
  for await (const chunk of res) body += chunk as string;
  return body;
}

/** The error for a non-200 answer, using the Kubernetes Status object's message when the body is one. */
export async function statusError(res: IncomingMessage, url: URL): Promise<KubeApiError> {
  const body = await readBody(res).catch(() => '');
  let message = res.statusMessage ?? 'error';
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === 'string') message = status.message;
  } catch {
    // not a Status object: keep the HTTP reason
  }
  return new KubeApiError(`GET ${url.pathname}: ${res.statusCode} ${message}`, res.statusCode);
}

/** GET a JSON document; non-200 answers reject with KubeApiError carrying the status code. */
export async function getJson(kc: KubeConfig, path: string, query: Query, signal: AbortSignal): Promise<unknown> {
  const url = apiUrl(kc, path, query);
  const res = await open(kc, url, signal);
  if (res.statusCode !== 200) throw await statusError(res, url);
  const body = await readBody(res);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new KubeApiError(`GET ${url.pathname}: response is not JSON`, res.statusCode);
  }
}
