// A real HTTP server on 127.0.0.1 speaking the collector's ingest wire format (POST /v1/events):
// 202 on success, 400 {errors:[{index, field, expected}]} (all or nothing), 401 without the bearer token,
// 413 beyond the body limit. Failures can be injected: answer the next N requests with 503 or reset them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ContractRecord, validateRecord } from '@harmonix/contract';

export interface FakeIngestOptions {
  token?: string;
  maxBodyBytes?: number;
  /** Extra rule: records it returns a message for are refused with 400 (to exercise the SDK's 400 path). */
  refuse?: (record: ContractRecord) => string | undefined;
}

export interface FakeIngest {
  url: string;
  /** Accepted records, in arrival order. */
  records: ContractRecord[];
  /** Status of every request, in order. */
  statuses: number[];
  /** Number of records in each accepted request. */
  batches: number[];
  /** Answer the next `count` requests with `status` (e.g. 503), or destroy the socket when status is 'reset'. */
  failNext(count: number, status: number | 'reset'): void;
  /** Hold every request until release() (to let the SDK's buffer fill). */
  hold(): void;
  release(): void;
  waitFor(predicate: (records: ContractRecord[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeIngest(options: FakeIngestOptions = {}): Promise<FakeIngest> {
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const failures: (number | 'reset')[] = [];
  let held: (() => void)[] | undefined;
  const records: ContractRecord[] = [];
  const statuses: number[] = [];
  const batches: number[] = [];
  const listeners = new Set<() => void>();

  const answer = (res: ServerResponse, status: number, body?: unknown) => {
    statuses.push(status);
    res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const injected = failures.shift();
    if (injected === 'reset') {
      statuses.push(0);
      req.socket.destroy();
      return;
    }
    if (injected !== undefined) return answer(res, injected, { error: 'injected' });
    if (req.method !== 'POST' || req.url !== '/v1/events') return answer(res, 404, { error: 'not found' });
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return answer(res, 401, { error: 'bearer token required' });
    }
    if (body.length > maxBody) return answer(res, 413, { error: 'body too large' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(res, 400, { errors: [{ index: -1, field: '/', expected: 'JSON' }] });
    }
    const batch = Array.isArray(parsed) ? parsed : [parsed];
    const errors: { index: number; field: string; expected: string }[] = [];
    const valid: ContractRecord[] = [];
    batch.forEach((item, index) => {
      const result = validateRecord(item);
      const refusal = result.ok ? options.refuse?.(result.value) : undefined;
      if (refusal) errors.push({ index, field: '/', expected: refusal });
      else if (result.ok) valid.push(result.value);
      else for (const e of result.errors) errors.push({ index, ...e });
    });
    if (errors.length > 0) return answer(res, 400, { errors });
    records.push(...valid);
    batches.push(valid.length);
    answer(res, 202, { accepted: valid.length });
    for (const listener of listeners) listener();
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const run = () => handle(req, res, Buffer.concat(chunks));
      if (held) held.push(run);
      else run();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    records,
    statuses,
    batches,
    failNext: (count, status) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    hold: () => {
      held ??= [];
    },
    release: () => {
      const pending = held ?? [];
      held = undefined;
      for (const run of pending) run();
    },
    waitFor: (predicate, timeoutMs = 10000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(records)) return resolve();
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`fake ingest: condition not met within ${timeoutMs} ms (${records.length} records)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(records)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
