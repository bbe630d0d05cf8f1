// The durable lifecycle shipper: sends lifecycle records and keyframes to the OTLP endpoint *from the archive*, and
// persists the last acknowledged archive position (shipper.cursor). Endpoint down → records stay pending and go out
// when it is back; SIGKILL → the next run resumes after the last acknowledged position (at-least-once; consumers
// dedupe on emitter+seq, which every record carries).
import { backoffDelay, type Clock, systemClock } from '@harmonix/delivery';
import type { Logger } from '../core/logger.js';
import { ships, type Archive } from './archive.js';
import { atomicWrite, atomicWriteAsync, readRegularFile, READ_LIMITS } from './files.js';
import type { LogBatchSender } from './otlp-logs.js';

export const CURSOR_NAME = 'shipper.cursor';
const cursorText = (acked: number) => `${JSON.stringify({ acked })}\n`;
const CURSOR_EVERY_MS = 200;

export interface ShipperOptions {
  /** Most records per request; a backlog goes out in requests this big. */
  batchSize?: number;
  /**
   * Keyframe parts per request (default 32: ≤ 2 MiB of them). A backlog of keyframes at 10k actors is 86 parts of
   * 64 KiB each; 512 of them in one request would be over the OTel Collector's default max_request_body_size
   * (20 MiB), refused on every retry, and shipping would never move on.
   */
  keyframePartsPerBatch?: number;
  /** Wait after a new record before sending, so records travel in batches (at 10k events/s, ~200 per request). */
  lingerMs?: number;
  /** After a failed request the first retry waits between this and twice this (default 500 ms); waits double. */
  retryMinMs?: number;
  /** No retry waits longer (default 30 s). */
  retryMaxMs?: number;
  /** Every wait of the shipper (default: real time); tests drive retries with a fake one. */
  clock?: Clock;
  /** The retries' jitter source (default Math.random). */
  random?: () => number;
}

export interface ShipperCounters {
  pending: number;
  sent: number;
  dropped: number;
  failures: number;
  acked: number;
  lastError?: string;
}

export class Shipper {
  readonly counters: ShipperCounters;
  /** Told the outcome of every export request (the collector counts them with its own OTLP exports). */
  onExport?: (ok: boolean) => void;
  private running = true;
  /** Aborted by stop(): ends whatever the loop waits for. */
  private readonly stopping = new AbortController();
  private cursorTimer?: NodeJS.Timeout;
  private cursorWrite?: Promise<void>;
  private cursorFailing = false;
  private persisted = -1;
  private wake?: () => void;
  private loop: Promise<void>;
  private readonly batchSize: number;
  private readonly keyframePartsPerBatch: number;
  private readonly lingerMs: number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(
    private readonly archive: Archive,
    private readonly sender: LogBatchSender,
    private readonly logger: Logger,
    options: ShipperOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 4096;
    this.keyframePartsPerBatch = options.keyframePartsPerBatch ?? 32;
    this.lingerMs = options.lingerMs ?? 20;
    // Equal jitter waits [ceiling/2, ceiling): a base of twice the minimum keeps the first wait at retryMinMs or more.
    this.retry = { baseMs: 2 * (options.retryMinMs ?? 500), maxMs: options.retryMaxMs ?? 30_000 };
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    // First run on this archive: ship from now on, not its history. A cursor beyond the archive (archive wiped): restart at its end.
    const acked = Math.min(this.readCursor() ?? archive.lastN, archive.lastN);
    this.counters = { pending: archive.countShippableAfter(acked), sent: 0, dropped: 0, failures: 0, acked };
    this.writeCursor(acked);
    archive.ackedN = () => this.counters.acked;
    archive.onAppend = (_n, record) => {
      if (!ships(record)) return;
      this.counters.pending++;
      this.wake?.();
    };
    archive.onDropped = (count) => {
      this.counters.dropped += count;
      this.counters.pending = Math.max(0, this.counters.pending - count);
    };
    this.loop = this.run();
  }

  /** Stops after trying to send what is pending for at most `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    const deadline = this.clock.now() + graceMs;
    while (this.counters.pending > 0 && this.clock.now() < deadline && this.counters.failures === 0) await this.clock.sleep(50);
    this.running = false;
    this.stopping.abort();
    // An export in flight against a dead endpoint may take its full timeout; the cursor is safe either way.
    const graceOver = new AbortController();
    const grace = this.clock.sleep(Math.max(0, deadline - this.clock.now()) + 100, graceOver.signal).catch(() => undefined);
    await Promise.race([this.loop, grace]);
    graceOver.abort();
    await this.persistCursor();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const next = this.archive.readFrom(this.counters.acked + 1, this.batchSize * 8);
      if (next.kind === 'end') {
        await this.idle(60_000, true);
        await this.idle(this.lingerMs, false);
        continue;
      }
      if (next.kind === 'corrupt') {
        const owed = next.entry.counts.lifecycle + next.entry.counts.keyframe;
        this.logger.error({ detail: next.detail, records: owed }, 'flight recorder: DROPPING a corrupt bundle that was never fully shipped');
        this.counters.dropped += owed;
        this.counters.pending = Math.max(0, this.counters.pending - owed);
        this.ack(next.entry.lastN);
        continue;
      }
      const batch = [];
      const jsons: (string | undefined)[] = [];
      let parts = 0;
      let upTo = this.counters.acked;
      for (const item of next.items) {
        if (ships(item.record)) {
          const part = item.record.type === 'keyframe';
          if (batch.length === this.batchSize || (part && parts === this.keyframePartsPerBatch)) break;
          if (part) parts++;
          batch.push(item.record);
          jsons.push(item.json);
        }
        upTo = item.n;
      }
      const result = await this.sender.send(batch, jsons);
      if (batch.length > 0) this.onExport?.(result.ok);
      if (result.ok) {
        this.counters.sent += batch.length;
        this.counters.pending = Math.max(0, this.counters.pending - batch.length);
        this.counters.failures = 0;
        this.counters.lastError = undefined;
        this.ack(upTo);
      } else {
        this.counters.failures++;
        this.counters.lastError = result.error;
        if (this.counters.failures === 1)
          this.logger.warn(
            { error: result.error, pending: this.counters.pending },
            'flight recorder: OTLP endpoint unavailable; lifecycle records stay pending in the archive',
          );
        await this.idle(backoffDelay(this.counters.failures - 1, this.retry, this.random), false);
      }
    }
  }

  /**
   * The cursor file is rewritten (write + fsync + rename) at most every CURSOR_EVERY_MS, not per request: on the
   * main thread a sync per request was the shipper's latency tail. A kill loses at most that much progress, and
   * what it loses is sent again (at-least-once; consumers dedupe on emitter+seq), never skipped.
   */
  private ack(n: number): void {
    this.counters.acked = n;
    if (this.cursorTimer) return;
    this.cursorTimer = setTimeout(() => this.persistCursorAsync(), CURSOR_EVERY_MS);
    this.cursorTimer.unref();
  }

  /** The timer's write, off the event loop (a sync fsync here stalled ingest); one at a time, catching up after. */
  private persistCursorAsync(): void {
    this.cursorTimer = undefined;
    if (this.cursorWrite || this.persisted === this.counters.acked) return;
    const n = this.counters.acked;
    this.cursorWrite = atomicWriteAsync(this.archive.dir, CURSOR_NAME, cursorText(n))
      .then(
        () => {
          this.persisted = n;
          this.cursorFailing = false;
        },
        (err: unknown) => {
          // Said once per run of failures (a full disk would fail every CURSOR_EVERY_MS).
          if (!this.cursorFailing)
            this.logger.warn({ err: String(err) }, 'flight recorder: shipper cursor not saved; progress since the last save is sent again after a restart');
          this.cursorFailing = true;
        },
      )
      .finally(() => {
        this.cursorWrite = undefined;
        if (this.running && this.persisted !== this.counters.acked) this.ack(this.counters.acked);
      });
  }

  /** At stop: the last position, written at once. */
  private async persistCursor(): Promise<void> {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = undefined;
    await this.cursorWrite;
    if (this.persisted !== this.counters.acked) this.writeCursor(this.counters.acked);
  }

  /** Waits `ms` on the clock; stop() ends the wait, and so does a new record when `wakeable`. */
  private async idle(ms: number, wakeable: boolean): Promise<void> {
    const woken = new AbortController();
    // Woken once: the archive calls wake for every record it appends, and every abort() call builds a DOMException
    // before it checks whether the signal is already aborted (~3 µs each, 1,000 per batch).
    if (wakeable)
      this.wake = () => {
        this.wake = undefined;
        woken.abort();
      };
    try {
      await this.clock.sleep(ms, AbortSignal.any([this.stopping.signal, woken.signal]));
    } catch {
      // stopped or woken: the loop decides what is next
    } finally {
      this.wake = undefined;
    }
  }

  private readCursor(): number | undefined {
    try {
      const doc = JSON.parse(readRegularFile(this.archive.dir, CURSOR_NAME, READ_LIMITS.smallFileBytes).toString('utf8')) as { acked?: unknown };
      return typeof doc.acked === 'number' && Number.isSafeInteger(doc.acked) && doc.acked >= 0 ? doc.acked : undefined;
    } catch {
      return undefined;
    }
  }

  private writeCursor(n: number): void {
    atomicWrite(this.archive.dir, CURSOR_NAME, cursorText(n));
    this.persisted = n;
  }
}
