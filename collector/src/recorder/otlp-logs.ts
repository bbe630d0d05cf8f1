// OTLP log export with an acknowledgement: records are shaped by the collector's own lifecycle log sink
// (export/lifecycle-logs.ts, reused, not copied), collected, and sent as one request whose result we await.
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord, type SdkLogRecord } from '@opentelemetry/sdk-logs';
import { lifecycleLogSink } from '../export/lifecycle-logs.js';
import type { ArchivedRecord } from './bundle.js';
import { otlpSignalUrl } from '../export/otlp-url.js';

export interface OtlpTarget {
  /** Base URL; /v1/logs is appended. */
  endpoint: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Keeps emitted log records until export() takes them. */
class Collecting implements LogRecordProcessor {
  items: ReadableLogRecord[] = [];
  onEmit(record: SdkLogRecord): void {
    this.items.push(record as unknown as ReadableLogRecord);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface LogBatchSender {
  /** Sends the records as one OTLP request; resolves true once the endpoint acknowledged it. */
  send(records: readonly ArchivedRecord[]): Promise<{ ok: boolean; error?: string }>;
  shutdown(): Promise<void>;
}

export function createLogBatchSender(resource: Resource, target: OtlpTarget): LogBatchSender {
  const collecting = new Collecting();
  const provider = new LoggerProvider({ resource, processors: [collecting] });
  const logger = provider.getLogger('hmx-collector');
  const sink = lifecycleLogSink(logger);
  // The OTLP exporter stack loads only when something is shipped (it is a large part of the collector's memory).
  const exporting = import('@opentelemetry/exporter-logs-otlp-http').then(
    ({ OTLPLogExporter }) => new OTLPLogExporter({ url: otlpSignalUrl(target.endpoint, 'logs'), headers: target.headers ?? {}, timeoutMillis: target.timeoutMs ?? 10_000 }),
  );
  return {
    send(records) {
      collecting.items = [];
      for (const r of records) {
        if (r.type === 'keyframe') sink.writeKeyframe?.(r);
        else if (r.type === 'flow') emitFlow(logger, r);
        else sink.write(r, 0);
      }
      const batch = collecting.items;
      collecting.items = [];
      if (batch.length === 0) return Promise.resolve({ ok: true });
      return exporting.then(
        (exporter) =>
          new Promise<{ ok: boolean; error?: string }>((resolve) => {
            exporter.export(batch, (result) => resolve(result.code === ExportResultCode.SUCCESS ? { ok: true } : { ok: false, error: result.error?.message ?? 'export failed' }));
          }),
      );
    },
    async shutdown() {
      await Promise.allSettled([exporting.then((e) => e.shutdown()), provider.shutdown()]);
    },
  };
}

/** Flow samples as log records (replay only; live flows are the hmx.flow.* counters): event.name hmx.flow, body the contract JSON. */
function emitFlow(logger: ReturnType<LoggerProvider['getLogger']>, r: Extract<ArchivedRecord, { type: 'flow' }>): void {
  logger.emit({
    eventName: 'hmx.flow',
    timestamp: new Date(r.time),
    observedTimestamp: new Date(),
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: JSON.stringify(r),
    attributes: { 'event.name': 'hmx.flow', 'hmx.emitter': r.emitter, 'hmx.seq': r.seq, 'hmx.source.actor.id': r.from, 'hmx.destination.actor.id': r.to },
  });
}
