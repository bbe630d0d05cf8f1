// JSON-RPC 2.0 over HTTP POST for cosmjs, with a per-request deadline, cancellation and failure kinds.
// The deadline is rpcTimeoutMs, not the latency threshold: a slow answer is measured in full, never cut at the threshold.
// (cosmjs' own HttpClient cannot take an AbortSignal and reports every failure as a plain Error.)
import type { RpcClient } from '@cosmjs/tendermint-rpc';
import { AkashReadError, failureKind } from './errors.js';
import type { RpcStats } from './rpc-stats.js';

type Request = Parameters<RpcClient['execute']>[0];
type Response = Awaited<ReturnType<RpcClient['execute']>>;

const MAX_BODY_CHARS = 32 * 1024 * 1024;

export class TimedTransport implements RpcClient {
  /** Cancels in-flight requests when the collection is abandoned (set per collection). */
  signal: AbortSignal | undefined;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly stats: RpcStats,
  ) {}

  readonly execute = async (request: Request): Promise<Response> => {
    const settled = this.stats.begin(request.method);
    try {
      const response = await this.post(request);
      settled();
      return response;
    } catch (err) {
      settled(failureKind(err));
      throw err;
    }
  };

  readonly disconnect = (): void => undefined;

  private async post(request: Request): Promise<Response> {
    const method = request.method;
    const signals = [AbortSignal.timeout(this.timeoutMs), ...(this.signal ? [this.signal] : [])];
    let text: string;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.any(signals),
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new AkashReadError('http', `RPC ${method}: HTTP status ${res.status}`);
      }
      text = await res.text();
    } catch (err) {
      throw transportError(err, method, this.timeoutMs);
    }
    if (text.length > MAX_BODY_CHARS) throw new AkashReadError('json', `RPC ${method}: response larger than ${MAX_BODY_CHARS} characters`);
    return parseEnvelope(text, request);
  }
}

function transportError(err: unknown, method: string, timeoutMs: number): AkashReadError {
  if (err instanceof AkashReadError) return err;
  const name = (err as { name?: string })?.name;
  if (name === 'TimeoutError') return new AkashReadError('timeout', `RPC ${method}: no answer within rpcTimeoutMs (${timeoutMs} ms)`, { cause: err });
  if (name === 'AbortError') return new AkashReadError('timeout', `RPC ${method}: abandoned (collection aborted)`, { cause: err });
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return new AkashReadError('unreachable', `RPC ${method}: unreachable (${cause?.code ?? cause?.message ?? (err as Error)?.message ?? err})`, { cause: err });
}

function parseEnvelope(text: string, request: Request): Response {
  const method = request.method;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AkashReadError('json', `RPC ${method}: response is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AkashReadError('json', `RPC ${method}: response is not a JSON-RPC object`);
  const envelope = body as { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
  if (envelope.jsonrpc !== '2.0') throw new AkashReadError('json', `RPC ${method}: /jsonrpc is not "2.0"`);
  if (envelope.id !== request.id) throw new AkashReadError('json', `RPC ${method}: /id does not match the request`);
  if (envelope.error !== undefined) {
    const e = envelope.error;
    throw new AkashReadError(
      'rpc_error',
      `RPC ${method}: error ${String(e?.code)}: ${String(e?.message)}${e?.data ? ` (${String(e.data).slice(0, 200)})` : ''}`,
    );
  }
  if (typeof envelope.result !== 'object' || envelope.result === null) throw new AkashReadError('json', `RPC ${method}: /result is missing`);
  return { jsonrpc: '2.0', id: request.id, result: envelope.result };
}
