// The OpenTelemetry SDK wiring: one MeterProvider (Prometheus text for /metrics, OTLP/HTTP when an endpoint is set),
// lifecycle log lines (OTLP/HTTP JSON written from the contract records, over the SDK's transport) and a
// TracerProvider for workflow spans (both only with an endpoint).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace, type Meter, type Tracer } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { CollectorStats } from '../core/stats.js';
import type { LogSignal, TraceSignal } from '../core/signals.js';
import { countingExporter, type ExportSignal } from './counting.js';
import { LineBatcher } from './line-batcher.js';
import type { SourceLogExporter } from './source-logs.js';
import { workflowSpans } from './workflow-spans.js';
import { otlpSignalUrl } from '@harmonix/delivery';
import type { OtlpOptions } from './otlp-url.js';
import { LiveSeries } from './live-series.js';

interface OtlpModules {
  OTLPLogExporter: typeof import('@opentelemetry/exporter-logs-otlp-http').OTLPLogExporter;
  OTLPMetricExporter: typeof import('@opentelemetry/exporter-metrics-otlp-http').OTLPMetricExporter;
  OTLPTraceExporter: typeof import('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter;
  createLineExporter: typeof import('./otlp-json-logs.js').createLineExporter;
  BasicTracerProvider: typeof import('@opentelemetry/sdk-trace-base').BasicTracerProvider;
  BatchSpanProcessor: typeof import('@opentelemetry/sdk-trace-base').BatchSpanProcessor;
  SourceLogExporter: typeof import('./source-logs.js').SourceLogExporter;
}

/** Series per instrument before the SDK folds the rest into one overflow series. */
export const SERIES_LIMIT = 100_000;

export class Telemetry {
  readonly meterProvider: MeterProvider;
  readonly prometheus: PrometheusExporter;
  readonly meter: Meter;
  /** Lifecycle log lines on their way to the OTLP endpoint (absent when local-only). */
  readonly lifecycleLogs?: LineBatcher;
  readonly tracer: Tracer;
  private readonly tracerProvider?: BasicTracerProvider;
  private readonly traceExporter?: OTLPTraceExporter;
  private readonly sourceLogs?: SourceLogExporter;

  /** The OTLP exporters and the trace and log SDKs load only when an endpoint is configured (local-only runs stay small). */
  static async create(resource: Resource, otlp: OtlpOptions | undefined, stats: CollectorStats): Promise<Telemetry> {
    const modules = otlp
      ? {
          OTLPLogExporter: (await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter,
          OTLPMetricExporter: (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter,
          OTLPTraceExporter: (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter,
          createLineExporter: (await import('./otlp-json-logs.js')).createLineExporter,
          BasicTracerProvider: (await import('@opentelemetry/sdk-trace-base')).BasicTracerProvider,
          BatchSpanProcessor: (await import('@opentelemetry/sdk-trace-base')).BatchSpanProcessor,
          SourceLogExporter: (await import('./source-logs.js')).SourceLogExporter,
        }
      : undefined;
    return new Telemetry(resource, otlp && modules ? { ...otlp, modules } : undefined, stats);
  }

  private constructor(
    private readonly resource: Resource,
    otlp: (OtlpOptions & { modules: OtlpModules }) | undefined,
    stats: CollectorStats,
  ) {
    // Both readers export only the series the sources and the topology still report (see live-series.ts).
    const live = new LiveSeries();
    this.prometheus = live.attach(new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true }));
    const readers: MetricReader[] = [this.prometheus];
    const onResult = (signal: ExportSignal, ok: boolean) => stats.bump(ok ? stats.exportSuccesses : stats.exportFailures, signal);
    if (otlp) {
      const { OTLPLogExporter, OTLPMetricExporter, OTLPTraceExporter, createLineExporter, BasicTracerProvider, BatchSpanProcessor, SourceLogExporter } =
        otlp.modules;
      const metricExporter = countingExporter(
        new OTLPMetricExporter({ url: otlpSignalUrl(otlp.endpoint, 'metrics'), headers: otlp.headers }),
        'metrics',
        onResult,
      );
      readers.push(
        live.attach(
          new PeriodicExportingMetricReader({
            exporter: metricExporter,
            exportIntervalMillis: otlp.metricIntervalMs,
            exportTimeoutMillis: Math.min(10_000, otlp.metricIntervalMs),
          }),
        ),
      );
      this.lifecycleLogs = new LineBatcher(
        createLineExporter(resource, { url: otlpSignalUrl(otlp.endpoint, 'logs'), headers: otlp.headers, protocol: otlp.logsProtocol }),
        {
          delayMs: 50,
          maxBatch: 4096,
          onResult: (ok) => onResult('logs', ok),
        },
      );
      const traceExporter = countingExporter(new OTLPTraceExporter({ url: otlpSignalUrl(otlp.endpoint, 'traces'), headers: otlp.headers }), 'traces', onResult);
      this.traceExporter = traceExporter;
      this.sourceLogs = new SourceLogExporter(resource, otlp, (o) => countingExporter(new OTLPLogExporter(o), 'logs', onResult));
      this.tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(traceExporter, { scheduledDelayMillis: 200 })] });
    }
    // The SDK's default of 2,000 series per instrument would silently fold a 10,000-actor topology into an overflow
    // series; the topology's own size is the real bound (docs/contract.md, cardinality). Set on the readers, not
    // as a '*' view: a view's attribute processor re-hashes every observed point into a new map at each collection.
    for (const reader of readers) reader.selectCardinalityLimit = () => SERIES_LIMIT;
    this.meterProvider = new MeterProvider({ resource, readers });
    this.meter = live.meter(this.meterProvider.getMeter('hmx-collector'));
    // Without an endpoint spans are not recorded at all (a no-op tracer), so nothing piles up in memory.
    this.tracer = this.tracerProvider?.getTracer('hmx-collector') ?? trace.getTracerProvider().getTracer('hmx-collector-noop');
  }

  get exportsOtlp(): boolean {
    return this.lifecycleLogs !== undefined;
  }

  /** Serves Prometheus text exposition of every metric. */
  serveMetrics(req: IncomingMessage, res: ServerResponse): void {
    this.prometheus.getMetricsRequestHandler(req, res);
  }

  /** Finished traces (workflow runs) as spans with their own stable ids. Dropped without an endpoint. */
  exportTraces(runs: readonly TraceSignal[]): void {
    const spans = runs.flatMap((run) => workflowSpans(run, this.resource));
    if (this.traceExporter && spans.length) this.traceExporter.export(spans, () => undefined);
  }

  /** Log lines tailed by sources, each under its own resource. Dropped without an endpoint. */
  emitSourceLogs(records: readonly LogSignal[]): void {
    this.sourceLogs?.emit(records);
  }

  async flush(): Promise<void> {
    await Promise.allSettled([this.meterProvider.forceFlush(), this.lifecycleLogs?.flush(), this.tracerProvider?.forceFlush()]);
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled([this.meterProvider.shutdown(), this.lifecycleLogs?.shutdown(), this.tracerProvider?.shutdown(), this.sourceLogs?.shutdown()]);
  }
}
