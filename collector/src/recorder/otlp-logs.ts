// OTLP log export with an acknowledgement: records are shaped exactly as the collector's live lifecycle sink shapes
// them (export/lifecycle-logs.ts, reused, not copied) and sent as one request whose result we await.
import { ExportResultCode } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { keyframeLine } from '../export/lifecycle-logs.js';
import type { LineExporter, LogProtocol } from '../export/otlp-json-logs.js';
import { otlpSignalUrl } from '@harmonix/delivery';
import type { ArchivedRecord } from './bundle.js';

export interface OtlpTarget {
  /** Base URL; /v1/logs is appended. */
  endpoint: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  logsProtocol?: LogProtocol;
}

export interface LogBatchSender {
  /** Sends the records as one OTLP request; resolves true once the endpoint acknowledged it. `json[i]`, where given,
   * is records[i]'s contract JSON already serialised (the journal's line): the log body, not serialised again. */
  send(records: readonly ArchivedRecord[], json?: readonly (string | undefined)[]): Promise<{ ok: boolean; error?: string }>;
  shutdown(): Promise<void>;
}

export function createLogBatchSender(resource: Resource, target: OtlpTarget): LogBatchSender {
  // The OTLP transport loads only when something is shipped (it is a large part of the collector's memory).
  const exporting: Promise<LineExporter> = import('../export/otlp-json-logs.js').then(({ createLineExporter }) =>
    createLineExporter(resource, {
      url: otlpSignalUrl(target.endpoint, 'logs'),
      headers: target.headers ?? {},
      timeoutMillis: target.timeoutMs ?? 10_000,
      protocol: target.logsProtocol,
    }),
  );
  return {
    send(records, json) {
      if (records.length === 0) return Promise.resolve({ ok: true });
      return exporting.then(
        (exporter) =>
          new Promise<{ ok: boolean; error?: string }>((resolve) => {
            const request = exporter.begin();
            // Flow samples ship too (replay only; live flows are the hmx.flow.* counters).
            records.forEach((r, i) => (r.type === 'keyframe' ? request.add(keyframeLine(r, json?.[i])) : request.addRecord(r, json?.[i])));
            exporter.export(request, (result) =>
              resolve(result.code === ExportResultCode.SUCCESS ? { ok: true } : { ok: false, error: result.error?.message ?? 'export failed' }),
            );
          }),
      );
    },
    async shutdown() {
      await exporting.then(
        (e) => e.shutdown(),
        () => undefined,
      );
    },
  };
}
