// One probe of a daemon's status endpoint: bounded time, the body checked against its kind's schema, and on every
// failure a short error type (a metric attribute) plus a reason in words.
import { readStatus, type DaemonKind, type StatusReading } from './status.js';

/** Why a probe failed, in a few stable words (`error.type` on hmx.daemon.probe.failures). */
export const PROBE_ERRORS = [
  'timeout', // no answer within probeTimeoutMs
  'unreachable', // connection refused, reset, DNS
  'http', // non-2xx status
  'too_large', // body over 64 KiB
  'json', // body is not JSON
  'schema', // JSON that is not the kind's /status document
  'not_ok', // a valid body in which the daemon reports itself unhealthy
] as const;
export type ProbeError = (typeof PROBE_ERRORS)[number];

export type ProbeResult = { ok: true; reading: StatusReading; seconds: number } | { ok: false; error: ProbeError; reason: string; seconds: number };

const MAX_BODY = 64 * 1024;
const MAX_REASON = 500;

/** The body as text, or undefined once it passes `max` bytes (read no further: a runaway body costs nothing). */
async function readBounded(res: Response, max: number): Promise<string | undefined> {
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > max) return undefined; // leaving the loop early cancels the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function probeStatus(url: string, kind: DaemonKind, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const fail = (error: ProbeError, reason: string): ProbeResult => ({ ok: false, error, reason: reason.slice(0, MAX_REASON), seconds: seconds() });
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { accept: 'application/json' } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return fail('http', `HTTP ${res.status}`);
    }
    const text = await readBounded(res, MAX_BODY);
    if (text === undefined) return fail('too_large', `body larger than ${MAX_BODY} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail('json', 'invalid /status: not JSON');
    }
    const status = readStatus(kind, body);
    return status.ok ? { ok: true, reading: status.reading, seconds: seconds() } : fail(status.error, status.reason);
  } catch (err) {
    if (timeout.aborted) return fail('timeout', `unreachable: timeout after ${timeoutMs} ms`);
    return fail('unreachable', `unreachable: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message ?? 'request failed'}`);
  }
}
