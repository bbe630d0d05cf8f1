// Batches lifecycle log lines for export, as the SDK's BatchLogRecordProcessor would: a request once `maxBatch` lines
// wait or `delayMs` after the first one. Memory stays bounded by the SDK's export delegate: past its concurrency
// limit a request fails at once (counted as an export failure) instead of queueing.
import { ExportResultCode } from '@opentelemetry/core';
import type { ContractRecord } from '@harmonix/contract';
import type { LogTarget } from './lifecycle-logs.js';
import type { LineExporter, LogLine, LogRequest } from './otlp-json-logs.js';

export interface LineBatcherOptions {
  delayMs: number;
  maxBatch: number;
  onResult: (ok: boolean) => void;
}

export class LineBatcher implements LogTarget {
  /** The request being filled (its lines are encoded as they come, where the protocol allows). */
  private current?: LogRequest;
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly exporter: LineExporter,
    private readonly options: LineBatcherOptions,
  ) {}

  push(line: LogLine): void {
    this.request().add(line);
    this.added();
  }

  pushRecord(record: ContractRecord, body?: string, timeMs?: number): void {
    this.request().addRecord(record, body, timeMs);
    this.added();
  }

  private request(): LogRequest {
    return (this.current ??= this.exporter.begin());
  }

  private added(): void {
    if (this.current!.count >= this.options.maxBatch) this.send();
    else this.timer ??= setTimeout(() => this.send(), this.options.delayMs);
  }

  /** Sends what waits and resolves once every request in flight has its answer. */
  async flush(): Promise<void> {
    this.send();
    await Promise.all([...this.inFlight]);
  }

  async shutdown(): Promise<void> {
    await this.flush();
    await this.exporter.shutdown();
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.current;
    this.current = undefined;
    if (!batch || batch.count === 0) return;
    const request = new Promise<void>((resolve) =>
      this.exporter.export(batch, (result) => {
        this.options.onResult(result.code === ExportResultCode.SUCCESS);
        resolve();
      }),
    );
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }
}
