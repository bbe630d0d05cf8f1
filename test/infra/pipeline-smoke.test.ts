/**
 * Smoke test of the real test infrastructure: OTel JS SDK (OTLP/HTTP) → the OTel Collector built by ocb
 * running otel-config/collector.yaml → a real Prometheus (remote write) and file exporters (for Loki/Tempo).
 * It also pins down the OTel → Prometheus naming that prometheusremotewrite applies (docs/testing.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TestOtelcol } from '../support/otelcol.js';
import { TestPrometheus } from '../support/prometheus.js';
import { pollUntil } from '../support/wait.js';

const resourceAttrs = {
  'service.name': 'hmx-smoke',
  'service.instance.id': 'smoke-instance-1',
  'service.version': '0.0.1',
  'host.name': 'smoke-host',
};

/** Instrument kind × unit matrix; the OTel names carry no unit word so suffixes are visible. */
const units = { a: '1', b: 'By', c: 's', d: 'Cel', e: 'rpm', f: '{x}', g: '', h: 'ms', i: '%', j: '{msg}/s' } as const;
const kinds = ['gauge', 'counter', 'updown'] as const;

/** Observed Prometheus names (see docs/testing.md, "OTel → Prometheus naming"). */
const expectedNames: Record<string, string> = {
  'smoke.gauge.a': 'smoke_gauge_a_ratio',
  'smoke.gauge.b': 'smoke_gauge_b_bytes',
  'smoke.gauge.c': 'smoke_gauge_c_seconds',
  'smoke.gauge.d': 'smoke_gauge_d_celsius',
  'smoke.gauge.e': 'smoke_gauge_e_rpm',
  'smoke.gauge.f': 'smoke_gauge_f',
  'smoke.gauge.g': 'smoke_gauge_g',
  'smoke.gauge.h': 'smoke_gauge_h_milliseconds',
  'smoke.gauge.i': 'smoke_gauge_i_percent',
  'smoke.gauge.j': 'smoke_gauge_j_per_second',
  'smoke.counter.a': 'smoke_counter_a_total',
  'smoke.counter.b': 'smoke_counter_b_bytes_total',
  'smoke.counter.c': 'smoke_counter_c_seconds_total',
  'smoke.counter.d': 'smoke_counter_d_celsius_total',
  'smoke.counter.e': 'smoke_counter_e_rpm_total',
  'smoke.counter.f': 'smoke_counter_f_total',
  'smoke.counter.g': 'smoke_counter_g_total',
  'smoke.counter.h': 'smoke_counter_h_milliseconds_total',
  'smoke.counter.i': 'smoke_counter_i_percent_total',
  'smoke.counter.j': 'smoke_counter_j_per_second_total',
  'smoke.updown.a': 'smoke_updown_a',
  'smoke.updown.b': 'smoke_updown_b_bytes',
  'smoke.updown.c': 'smoke_updown_c_seconds',
  'smoke.updown.d': 'smoke_updown_d_celsius',
  'smoke.updown.e': 'smoke_updown_e_rpm',
  'smoke.updown.f': 'smoke_updown_f',
  'smoke.updown.g': 'smoke_updown_g',
  'smoke.updown.h': 'smoke_updown_h_milliseconds',
  'smoke.updown.i': 'smoke_updown_i_percent',
  'smoke.updown.j': 'smoke_updown_j_per_second',
  // Contract-shaped names (the unit word already ends the name / annotation units vanish).
  'hmx.node.up': 'hmx_node_up', // unit "" — with unit "1" it would be hmx_node_up_ratio
  'hmx.actor.up': 'hmx_actor_up_ratio', // unit "1": the pitfall, kept here so a change is noticed
  'hmx.flow.bytes': 'hmx_flow_bytes_total',
  'hmx.actor.restarts': 'hmx_actor_restarts_total',
};

/** Exports only on forceFlush/shutdown, so each test decides when data leaves the SDK. */
function meterProvider(otlpHttpUrl: string): MeterProvider {
  return new MeterProvider({
    resource: resourceFromAttributes(resourceAttrs),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${otlpHttpUrl}/v1/metrics` }),
        exportIntervalMillis: 60_000,
      }),
    ],
  });
}

describe('pipeline smoke: OTel JS SDK → otelcol (ocb build of collector.yaml) → Prometheus + files', () => {
  let prom: TestPrometheus;
  let col: TestOtelcol;

  before(async () => {
    prom = await TestPrometheus.start();
    col = await TestOtelcol.start({ prometheusRemoteWriteUrl: prom.remoteWriteUrl });
  });

  after(async () => {
    await col?.close();
    await prom?.stop();
  });

  it('metrics arrive in Prometheus with the documented names and labels', async () => {
    const provider = meterProvider(col.otlpHttpUrl);
    const meter = provider.getMeter('hmx-smoke-meter', '1.2.3');
    const attrs = { 'hmx.node.id': 'n1', 'hmx.layer': 'os' };
    for (const [suffix, unit] of Object.entries(units)) {
      meter.createGauge(`smoke.gauge.${suffix}`, { unit }).record(0.5, attrs);
      meter.createCounter(`smoke.counter.${suffix}`, { unit }).add(7, attrs);
      meter.createUpDownCounter(`smoke.updown.${suffix}`, { unit }).add(-3, attrs);
    }
    meter.createGauge('hmx.node.up', { unit: '' }).record(1, attrs);
    meter.createGauge('hmx.actor.up', { unit: '1' }).record(1, attrs);
    meter.createCounter('hmx.flow.bytes', { unit: 'By' }).add(1024, attrs);
    meter.createCounter('hmx.actor.restarts', { unit: '{restart}' }).add(2, attrs);
    await provider.forceFlush();
    await provider.shutdown();

    const wanted = Object.values(expectedNames);
    const observed = await pollUntil(
      async () => {
        const names = (await prom.metricNames()).filter((n) => n.startsWith('smoke_') || n.startsWith('hmx_'));
        return names.length >= wanted.length ? names : undefined;
      },
      { timeoutMs: 30_000, what: `${wanted.length} smoke metric names in Prometheus`, detail: () => col.output(20) },
    );
    assert.deepEqual([...observed].sort(), [...wanted].sort());
    assert.equal(kinds.length * Object.keys(units).length + 4, wanted.length);

    const [gauge] = await prom.waitFor('smoke_gauge_a_ratio');
    assert.ok(gauge, 'smoke_gauge_a_ratio has a sample');
    assert.equal(gauge.value, 0.5);
    // Resource attributes (resource_to_telemetry_conversion) and data point attributes become labels,
    // dots replaced by underscores; service.name/service.instance.id also give job/instance.
    assert.equal(gauge.metric.service_name, 'hmx-smoke');
    assert.equal(gauge.metric.service_instance_id, 'smoke-instance-1');
    assert.equal(gauge.metric.host_name, 'smoke-host');
    assert.equal(gauge.metric.job, 'hmx-smoke');
    assert.equal(gauge.metric.instance, 'smoke-instance-1');
    assert.equal(gauge.metric.hmx_node_id, 'n1');
    assert.equal(gauge.metric.hmx_layer, 'os');
    assert.equal(gauge.metric.otel_scope_name, 'hmx-smoke-meter');
    assert.equal(gauge.metric.otel_scope_version, '1.2.3');
    // target_info is still written, carrying the non-service resource attributes.
    const [info] = await prom.waitFor('target_info{job="hmx-smoke"}');
    assert.equal(info?.metric.host_name, 'smoke-host');

    const [counter] = await prom.waitFor('hmx_flow_bytes_total{hmx_node_id="n1"}');
    assert.equal(counter?.value, 1024);
    const [updown] = await prom.waitFor('smoke_updown_b_bytes');
    assert.equal(updown?.value, -3);
  });

  it('a log record arrives in the logs file exporter (Loki stand-in) with event name and JSON body', async () => {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes(resourceAttrs),
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${col.otlpHttpUrl}/v1/logs` }) })],
    });
    const event = { v: 1, type: 'node.failed', time: new Date().toISOString(), emitter: 'smoke', seq: 1, node: { id: 'n1' } };
    provider.getLogger('hmx-smoke-logger').emit({
      eventName: 'hmx.node.failed',
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: JSON.stringify(event),
      attributes: { 'hmx.node.id': 'n1' },
    });
    await provider.forceFlush();
    await provider.shutdown();

    const [record] = await col.waitForLogRecords((r) => r.eventName === 'hmx.node.failed');
    assert.ok(record);
    assert.deepEqual(JSON.parse(String(record.body)), event);
    assert.equal(record.severityNumber, SeverityNumber.WARN);
    assert.equal(record.attributes['hmx.node.id'], 'n1');
    assert.equal(record.resource['service.name'], 'hmx-smoke');
    assert.equal(record.scope.name, 'hmx-smoke-logger');
  });

  it('spans arrive in the traces file exporter (Tempo stand-in) and feed servicegraph/spanmetrics', async () => {
    const tracerProvider = (serviceName: string) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ ...resourceAttrs, 'service.name': serviceName }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${col.otlpHttpUrl}/v1/traces` }))],
      });
    const producerSide = tracerProvider('hmx-smoke-a');
    const consumerSide = tracerProvider('hmx-smoke-b');
    const producer = producerSide.getTracer('hmx-smoke-tracer').startSpan('send hmx.demo', {
      kind: SpanKind.PRODUCER,
      attributes: { 'hmx.actor.id': 'actor-a', 'messaging.operation.type': 'send' },
    });
    const parent = trace.setSpanContext(context.active(), producer.spanContext());
    const consumer = consumerSide
      .getTracer('hmx-smoke-tracer')
      .startSpan('process hmx.demo', { kind: SpanKind.CONSUMER, attributes: { 'hmx.actor.id': 'actor-b' } }, parent);
    consumer.end();
    producer.end();
    await Promise.all([producerSide.shutdown(), consumerSide.shutdown()]);

    const traceId = producer.spanContext().traceId;
    const spans = await col.waitForSpans((s) => s.traceId === traceId && s.name === 'process hmx.demo');
    assert.equal(spans[0]?.parentSpanId, producer.spanContext().spanId);
    assert.equal(spans[0]?.resource['service.name'], 'hmx-smoke-b');
    assert.equal(spans[0]?.attributes['hmx.actor.id'], 'actor-b');

    // The connectors on the traces pipeline feed the metrics pipeline → Prometheus.
    const edges = await prom.waitFor('traces_service_graph_request_total{client="hmx-smoke-a",server="hmx-smoke-b"}');
    assert.equal(edges[0]?.metric.connection_type, 'messaging_system');
    // The connector dimensions from collector.yaml, taken from each side's span attributes.
    assert.equal(edges[0]?.metric.client_hmx_actor_id, 'actor-a');
    assert.equal(edges[0]?.metric.server_hmx_actor_id, 'actor-b');
    const calls = await prom.waitFor('traces_span_metrics_calls_total{service_name="hmx-smoke-a"}');
    assert.equal(calls[0]?.metric.span_name, 'send hmx.demo');
    assert.equal(calls[0]?.metric.messaging_operation_type, 'send');
    await prom.waitFor('traces_span_metrics_duration_seconds_count{service_name="hmx-smoke-b"}');
  });

  it('the collector can be stopped and restarted on the same OTLP port (outage simulation)', async () => {
    const port = col.otlpHttpPort;
    await col.stop();
    assert.equal(col.running, false);
    await assert.rejects(fetch(col.healthUrl), 'health endpoint is down while stopped');
    await col.restart();
    assert.equal(col.running, true);
    assert.equal(col.otlpHttpPort, port);

    const provider = meterProvider(col.otlpHttpUrl);
    provider.getMeter('hmx-smoke-meter').createCounter('smoke.after.restart').add(5);
    await provider.shutdown();
    const [sample] = await prom.waitFor('smoke_after_restart_total');
    assert.equal(sample?.value, 5);
  });
});
