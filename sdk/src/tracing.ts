// Message spans (OTel messaging semantic conventions) and W3C trace context carried inside the message envelope.
import { context as otelContext, defaultTextMapGetter, defaultTextMapSetter, trace, type Context, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { otlpSignalUrl } from '@harmonix/delivery';

/** What travels on the wire: the payload plus the trace context headers (`traceparent`, `tracestate`). */
export interface MessageEnvelope<P = unknown> {
  from: string;
  to: string;
  payload: P;
  headers: Record<string, string>;
}

export const propagator = new W3CTraceContextPropagator();

export interface TracingSetup {
  tracer: Tracer;
  /** Flush + shut down a provider the SDK created itself (never one passed in or the global one). */
  shutdown(): Promise<void>;
  forceFlush(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base endpoint (…:4318); traces go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string;
  tracerProvider?: TracerProvider;
  env?: NodeJS.ProcessEnv;
}

const TRACER_NAME = '@harmonix/sdk';

/**
 * Spans are recorded when a provider is given, or when an OTLP endpoint is configured (option or the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Otherwise the global provider is used,
 * which is a no-op unless the runtime registered one: the SDK works without OTLP.
 */
export function setupTracing(options: TracingOptions): TracingSetup {
  const env = options.env ?? process.env;
  if (options.tracerProvider) {
    const provider = options.tracerProvider as TracerProvider & { forceFlush?: () => Promise<void> };
    return {
      tracer: provider.getTracer(TRACER_NAME),
      shutdown: async () => provider.forceFlush?.(),
      forceFlush: async () => provider.forceFlush?.(),
    };
  }
  const explicit = options.otlpEndpoint ? otlpSignalUrl(options.otlpEndpoint, 'traces') : undefined;
  if (!explicit && !env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    return { tracer: trace.getTracer(TRACER_NAME), shutdown: async () => {}, forceFlush: async () => {} };
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'process.pid': process.pid }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(explicit ? { url: explicit } : {}))],
  });
  return {
    tracer: provider.getTracer(TRACER_NAME),
    shutdown: () => provider.shutdown(),
    forceFlush: () => provider.forceFlush(),
  };
}

/** Write the trace context of `ctx` into the envelope headers. */
export function injectContext(ctx: Context, headers: Record<string, string>): void {
  propagator.inject(ctx, headers, defaultTextMapSetter);
}

/** Read the sender's trace context from the envelope headers (invalid or missing headers give a root context). */
export function extractContext(headers: unknown): Context {
  const carrier = typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>) : {};
  const clean: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = carrier[key];
    if (typeof value === 'string' && value.length <= 512) clean[key] = value;
  }
  return propagator.extract(otelContext.active(), clean, defaultTextMapGetter);
}
