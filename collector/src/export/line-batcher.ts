// Batches lifecycle log lines for export, as the SDK's BatchLogRecordProcessor would: a request once `maxBatch` lines
// wait or `delayMs` after the first one; a bounded queue whose overflow is dropped and counted, never silent.
import { ExportResultCode } from '@opentelemetry/core';
import type { LineExporter, LogLine } from './otlp-json-logs.js';

export interface LineBatcherOptions {
  delayMs: number;
  maxBatch: number;
  maxQueue: number;
  onResult: (ok: boolean) => void;
  onDrop: (count: number) => void;
}

export class LineBatcher {
  private queue: LogLine[] = [];
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly exporter: LineExporter,
    private readonly options: LineBatcherOptions,
  ) {}

  push(line: LogLine): void {
    if (this.queue.length >= this.options.maxQueue) {
      this.options.onDrop(1);
      return;
    }
    this.queue.push(line);
    if (this.queue.length >= this.options.maxBatch) this.send();
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
    while (this.queue.length > 0) {
      const batch = this.queue.length <= this.options.maxBatch ? this.queue : this.queue.slice(0, this.options.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
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
}
