// Delivery of contract records to the collector's ingest: batched by size and time, retried with
// backoff, bounded (oldest dropped and counted when full), strictly ordered (one request in flight).
import type { FieldError } from '@harmonix/contract';
import { backoffDelay, type Clock, systemClock } from '@harmonix/delivery';
import { SdkError } from './errors.js';

export interface BatcherOptions {
  /** Full ingest URL, e.g. http://127.0.0.1:9464/v1/events */
  url: string;
  token?: string;
  batchSize: number;
  maxBuffer: number;
  retryBaseMs: number;
  retryMaxMs: number;
  requestTimeoutMs: number;
  onError: (error: SdkError) => void;
  /** Waits between retries (default: real time). */
  clock?: Clock;
  random?: () => number;
}

export interface BatcherStats {
  /** Records waiting in the buffer (not counting the batch in flight). */
  buffered: number;
  inFlight: number;
  delivered: number;
  /** Given up: buffer overflow (oldest first) or close() deadline. */
  dropped: number;
  /** Refused by the collector (400 field errors, 401/403, a single record over 413). */
  rejected: number;
  requests: number;
  retries: number;
}

type Outcome = 'done' | 'retry';

const DELIVERY_ABORTED = Symbol('delivery aborted');

export class IngestBatcher<R> {
  private queue: R[] = [];
  private head = 0;
  private inFlight = 0;
  private pumping: Promise<void> | undefined;
  private readonly giveUp = new AbortController();
  private readonly counters = { delivered: 0, dropped: 0, rejected: 0, requests: 0, retries: 0 };

  constructor(private readonly options: BatcherOptions) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  stats(): BatcherStats {
    return { buffered: this.size, inFlight: this.inFlight, ...this.counters };
  }

  /** Buffer one record; when full the oldest buffered record is dropped (and counted). */
  enqueue(record: R): void {
    if (this.giveUp.signal.aborted) {
      this.drop(1, 'record emitted after close()');
      return;
    }
    if (this.size >= this.options.maxBuffer) {
      this.head += 1;
      this.drop(1, `buffer full (${this.options.maxBuffer} records): oldest record dropped`);
    }
    this.queue.push(record);
    if (this.size >= this.options.batchSize) this.kick();
  }

  /** Start sending what is buffered (no-op when a send loop is already running). */
  kick(): Promise<void> {
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
    return this.pumping;
  }

  /** Resolves true once everything buffered now (and since) is delivered or refused, false on timeout. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ((this.size > 0 || this.pumping) && !this.giveUp.signal.aborted) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), left);
      });
      const result = await Promise.race([this.kick(), timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') return false;
    }
    return this.size === 0;
  }

  /** Flush within `timeoutMs`, then give up on whatever is left (counted as dropped). */
  async close(timeoutMs: number): Promise<void> {
    const flushed = await this.flush(timeoutMs);
    this.giveUp.abort();
    if (!flushed) await this.pumping;
    const left = this.size;
    if (left > 0) {
      this.queue = [];
      this.head = 0;
      this.drop(left, 'close() deadline passed before delivery');
    }
  }

  private drop(count: number, why: string): void {
    this.counters.dropped += count;
    this.options.onError(new SdkError('dropped', `${count} record(s) dropped: ${why}`, { records: count }));
  }

  private async pump(): Promise<void> {
    while (this.size > 0 && !this.giveUp.signal.aborted) {
      const end = Math.min(this.queue.length, this.head + this.options.batchSize);
      const batch = this.queue.slice(this.head, end);
      this.head = end;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.inFlight = batch.length;
      try {
        await this.deliver(batch);
      } finally {
        this.inFlight = 0;
      }
    }
  }

  /** Deliver one batch: resend on network errors/5xx with backoff, shrink on 400/413. */
  private async deliver(batch: R[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0;) {
      const outcome = await this.post(pending).catch((error: unknown) => {
        this.options.onError(new SdkError('retrying', `ingest unreachable: ${describe(error)}`, { records: pending.length }));
        return 'retry' as const;
      });
      if (outcome === 'retry') {
        attempt += 1;
        this.counters.retries += 1;
        if ((await this.backoff(attempt)) === DELIVERY_ABORTED) {
          this.drop(pending.length, 'close() deadline passed while retrying');
          return;
        }
        continue;
      }
      if (outcome === 'done') return;
      pending = outcome;
    }
  }

  /** One request. Returns 'done', 'retry', or the records still to send (after 400/413 handling). */
  private async post(batch: R[]): Promise<Outcome | R[]> {
    this.counters.requests += 1;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
    });
    const text = await response.text().catch(() => '');
    const status = response.status;
    if (status >= 200 && status < 300) {
      this.counters.delivered += batch.length;
      return 'done';
    }
    if (status >= 500 || status === 429 || status === 408) {
      this.options.onError(new SdkError('retrying', `ingest answered ${status}; retrying`, { status, records: batch.length }));
      return 'retry';
    }
    if (status === 400) return this.withoutRejected(batch, text);
    if (status === 413) return this.split(batch);
    this.counters.rejected += batch.length;
    const kind = status === 401 || status === 403 ? 'unauthorized' : 'rejected';
    const hint = kind === 'unauthorized' ? ' (Authorization: Bearer <token> missing or wrong: set the `token` option)' : '';
    this.options.onError(new SdkError(kind, `ingest answered ${status}${hint}; ${batch.length} record(s) dropped`, { status, records: batch.length }));
    return 'done';
  }

  /** 400: the collector names each bad record by index; drop those, resend the rest (it applied none). */
  private withoutRejected(batch: R[], body: string): R[] | Outcome {
    const errors = parseFieldErrors(body);
    const bad = new Set(errors.map((e) => e.index).filter((i) => Number.isInteger(i) && i >= 0 && i < batch.length));
    const rejectAll = bad.size === 0;
    const rest = rejectAll ? [] : batch.filter((_, i) => !bad.has(i));
    const count = batch.length - rest.length;
    this.counters.rejected += count;
    const fields: FieldError[] = errors.map(({ field, expected }) => ({ field, expected }));
    this.options.onError(new SdkError('rejected', `ingest rejected ${count} record(s): ${summarise(fields)}`, { status: 400, records: count, errors: fields }));
    return rest.length > 0 ? rest : 'done';
  }

  /** 413: halve the batch until it fits; a single record that does not fit is refused. */
  private async split(batch: R[]): Promise<Outcome> {
    if (batch.length === 1) {
      this.counters.rejected += 1;
      this.options.onError(new SdkError('too-large', 'ingest answered 413 for a single record; it was dropped', { status: 413, records: 1 }));
      return 'done';
    }
    const half = Math.ceil(batch.length / 2);
    await this.deliver(batch.slice(0, half));
    await this.deliver(batch.slice(half));
    return 'done';
  }

  /** Waits before retry `attempt` (1 = the first) with the shared backoff; DELIVERY_ABORTED when close() gives up. */
  private async backoff(attempt: number): Promise<void | typeof DELIVERY_ABORTED> {
    const { retryBaseMs: baseMs, retryMaxMs: maxMs, clock = systemClock, random = Math.random } = this.options;
    try {
      await clock.sleep(backoffDelay(attempt - 1, { baseMs, maxMs }, random), this.giveUp.signal);
    } catch {
      return DELIVERY_ABORTED; // the sleep only rejects when giveUp aborts
    }
  }
}

interface IndexedFieldError extends FieldError {
  index: number;
}

function parseFieldErrors(body: string): IndexedFieldError[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.filter((e): e is IndexedFieldError => typeof e === 'object' && e !== null && typeof (e as { index?: unknown }).index === 'number');
  } catch {
    return [];
  }
}

function summarise(errors: FieldError[]): string {
  if (errors.length === 0) return 'no field errors given';
  return errors
    .slice(0, 3)
    .map((e) => `${String(e.field)} expected ${String(e.expected)}`)
    .join('; ');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
