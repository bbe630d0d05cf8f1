// One probe of a daemon's status endpoint: bounded time, strict body, a reason on every failure.
import { validateStatus, type DaemonStatus } from './status.js';

export type ProbeResult =
  | { ok: true; status: DaemonStatus; seconds: number }
  | { ok: false; reason: string; seconds: number };

const MAX_BODY = 64 * 1024;

export async function probeStatus(url: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { accept: 'application/json' } });
    const text = await res.text();
    if (!res.ok) return { ok: false, reason: `HTTP ${res.status}`, seconds: seconds() };
    if (text.length > MAX_BODY) return { ok: false, reason: `body larger than ${MAX_BODY} bytes`, seconds: seconds() };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'invalid /status: not JSON', seconds: seconds() };
    }
    const v = validateStatus(body);
    if (!v.ok) return { ok: false, reason: `invalid /status: ${v.errors.map((e) => `${e.field} ${e.expected}`).join('; ')}`.slice(0, 500), seconds: seconds() };
    return { ok: true, status: v.value, seconds: seconds() };
  } catch (err) {
    const reason = timeout.aborted
      ? `timeout after ${timeoutMs} ms`
      : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message ?? 'request failed');
    return { ok: false, reason: `unreachable: ${reason}`.slice(0, 500), seconds: seconds() };
  }
}
