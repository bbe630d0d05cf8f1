// Log lines tailed by sources (daemon recovery logs) as OTel log records, each daemon as its own resource, so Loki
// files them under the daemon's service_name rather than the collector's.
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogSignal } from '../core/signals.js';
import { otlpSignalUrl } from '@harmonix/delivery';
import type { OtlpOptions } from './otlp-url.js';

export class SourceLogExporter {
  private readonly providers = new Map<string, LoggerProvider>();

  constructor(
    private readonly base: Resource,
    private readonly otlp: OtlpOptions,
    private readonly newExporter: (options: OTLPExporterNodeConfigBase) => LogRecordExporter,
  ) {}

  emit(records: readonly LogSignal[]): void {
    for (const r of records) {
      const key = JSON.stringify(r.resource);
      let provider = this.providers.get(key);
      if (!provider) {
        const exporter = this.newExporter({ url: otlpSignalUrl(this.otlp.endpoint, 'logs'), headers: this.otlp.headers });
        provider = new LoggerProvider({
          resource: this.base.merge(resourceFromAttributes(r.resource)),
          processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 500 })],
        });
        this.providers.set(key, provider);
      }
      provider.getLogger('hmx-collector/source-logs').emit({
        timestamp: new Date(r.time),
        observedTimestamp: new Date(),
        severityNumber: r.severityNumber,
        severityText: r.severityText,
        body: r.body,
        attributes: r.attributes,
      });
    }
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.providers.values()].map((p) => p.shutdown()));
  }
}
