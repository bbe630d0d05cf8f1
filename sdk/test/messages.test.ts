// send()/receive(): flow counters as contract deltas, and producer/consumer spans sharing one trace across a socket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type Socket } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createSdk, type MessageEnvelope } from '../src/index.js';
import type { FlowSample } from '@harmonix/contract';
import { startFakeIngest, type FakeIngest } from './fake-ingest.js';

const A = 'mesh:n1/router';
const B = 'mesh:n2/worker-1';
const C = 'mesh:n3/worker-2';
let server: FakeIngest;
before(async () => {
  server = await startFakeIngest();
});
after(() => server.close());

const flows = (emitter: string) =>
  server.records
    .filter((r): r is FlowSample => r.type === 'flow' && r.emitter === emitter)
    .map(({ from, to, messages, bytes }) => ({ from, to, messages, bytes }));

describe('SDK message wrappers', () => {
  it('counts messages and bytes per edge and sends them as deltas since the previous sample', async () => {
    const sdk = createSdk({ name: 'flows', collectorUrl: server.url, flushIntervalMs: 60_000 });
    const wire: MessageEnvelope[] = [];
    for (let i = 0; i < 3; i++) sdk.send(A, B, { n: i }, (env) => wire.push(env));
    sdk.send(B, A, 'pong', (env) => wire.push(env), { bytes: 100 });
    await sdk.flush();
    const payloadBytes = Buffer.byteLength(JSON.stringify({ n: 0 }));
    assert.deepEqual(flows(sdk.emitter), [
      { from: A, to: B, messages: 3, bytes: 3 * payloadBytes },
      { from: B, to: A, messages: 1, bytes: 100 },
    ]);
    assert.equal(wire.length, 4);
    assert.deepEqual(wire[0]?.payload, { n: 0 });

    sdk.send(A, B, { n: 9 }, () => undefined);
    sdk.send(A, B, { n: 8 }, () => undefined);
    await sdk.flush();
    assert.deepEqual(flows(sdk.emitter).slice(2), [{ from: A, to: B, messages: 2, bytes: 2 * payloadBytes }]);
    await sdk.close();
  });

  it('does not count a message whose transport failed, and rethrows (sync and async transports)', async () => {
    const sdk = createSdk({ name: 'fails', collectorUrl: server.url, flushIntervalMs: 60_000 });
    assert.throws(
      () =>
        sdk.send(A, B, 'x', () => {
          throw new Error('no route');
        }),
      /no route/,
    );
    await assert.rejects(
      sdk.send(A, B, 'x', async () => Promise.reject(new Error('socket closed'))),
      /socket closed/,
    );
    const delivered = await sdk.send(A, C, 'x', async () => 'written');
    assert.equal(delivered, 'written');
    await sdk.flush();
    assert.deepEqual(flows(sdk.emitter), [{ from: A, to: C, messages: 1, bytes: 1 }]);
    await sdk.close();
  });

  it('works without OTLP: no spans, no trace headers, messages still counted', async () => {
    const saved = { ...process.env };
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    try {
      const sdk = createSdk({ name: 'plain', collectorUrl: server.url, flushIntervalMs: 60_000 });
      const env = sdk.send(A, B, 'hello', (e) => e);
      assert.deepEqual(env.headers, {});
      assert.equal(
        sdk.receive(env, (payload) => `got ${payload}`),
        'got hello',
      );
      await sdk.flush();
      assert.deepEqual(flows(sdk.emitter), [{ from: A, to: B, messages: 1, bytes: 5 }]);
      await sdk.close();
    } finally {
      process.env = saved;
    }
  });

  it('makes one trace of a message crossing processes: producer span → W3C headers over TCP → consumer span', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const sender = createSdk({ name: 'n1', collectorUrl: server.url, tracerProvider: provider, flushIntervalMs: 60_000 });
    const receiver = createSdk({ name: 'n2', collectorUrl: server.url, tracerProvider: provider, flushIntervalMs: 60_000 });

    // The envelope really travels as bytes over a socket, like between two node processes.
    const tcp = createServer();
    tcp.listen(0, '127.0.0.1');
    await once(tcp, 'listening');
    const arrived = once(tcp, 'connection').then(async (args: unknown[]) => {
      const socket = args[0] as Socket;
      socket.setEncoding('utf8');
      let text = '';
      for await (const chunk of socket) {
        text += chunk as string;
        if (text.includes('\n')) break;
      }
      return JSON.parse(text.trim()) as MessageEnvelope<{ job: number }>;
    });
    const client = connect((tcp.address() as { port: number }).port, '127.0.0.1');
    await once(client, 'connect');
    const envelope = sender.send(A, B, { job: 7 }, (env) => {
      client.write(`${JSON.stringify(env)}\n`);
      return env;
    });
    assert.match(envelope.headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const received = await arrived;
    client.destroy();
    tcp.close();

    // The receiver handles it and forwards to a third actor as part of the same work.
    const seen = receiver.receive(received, (payload, ctx) => {
      receiver.send(B, C, { job: payload.job, hop: 2 }, () => undefined, { parent: ctx });
      return payload.job;
    });
    assert.equal(seen, 7);

    const spans = exporter.getFinishedSpans();
    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.destination.name'] === B);
    const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER);
    const forward = spans.find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.destination.name'] === C);
    assert.ok(producer && consumer && forward, `spans: ${spans.map((s) => s.name).join(', ')}`);
    const traceId = producer.spanContext().traceId;
    assert.equal(consumer.spanContext().traceId, traceId);
    assert.equal(forward.spanContext().traceId, traceId);
    assert.equal(consumer.parentSpanContext?.spanId, producer.spanContext().spanId);
    assert.equal(forward.parentSpanContext?.spanId, consumer.spanContext().spanId);
    assert.equal(producer.name, `send ${B}`);
    assert.equal(consumer.name, `process ${B}`);
    assert.equal(producer.attributes['messaging.operation.type'], 'send');
    assert.equal(consumer.attributes['messaging.operation.type'], 'process');
    assert.equal(producer.attributes['messaging.system'], 'harmonix-mesh');
    assert.equal(consumer.attributes['hmx.source.actor.id'], A);
    await Promise.all([sender.close(), receiver.close()]);
    await provider.shutdown();
  });

  it('marks the consumer span failed when the handler throws, and ignores garbage trace headers', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const sdk = createSdk({ name: 'n2', collectorUrl: server.url, tracerProvider: provider, flushIntervalMs: 60_000 });
    const envelope: MessageEnvelope = { from: A, to: B, payload: 1, headers: { traceparent: '<script>not-a-trace</script>' } };
    assert.throws(
      () =>
        sdk.receive(envelope, () => {
          throw new Error('actor crashed');
        }),
      /actor crashed/,
    );
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.status.code, 2);
    assert.equal(span?.parentSpanContext, undefined, 'garbage traceparent starts a new trace');
    await sdk.close();
    await provider.shutdown();
  });
});

describe('SDK span export over OTLP/HTTP', () => {
  it('exports producer and consumer spans of one trace to the configured OTLP endpoint', async () => {
    const bodies: { url: string; type: string; body: string }[] = [];
    const otlp = createHttpServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        bodies.push({ url: req.url ?? '', type: String(req.headers['content-type']), body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    otlp.listen(0, '127.0.0.1');
    await once(otlp, 'listening');
    const endpoint = `http://127.0.0.1:${(otlp.address() as { port: number }).port}`;
    const sdk = createSdk({ name: 'otlp-runtime', collectorUrl: server.url, otlpEndpoint: endpoint, flushIntervalMs: 60_000 });
    const envelope = sdk.send(A, B, { job: 1 }, (env) => JSON.parse(JSON.stringify(env)) as MessageEnvelope<{ job: number }>);
    sdk.receive(envelope, () => undefined);
    await sdk.close();
    otlp.close();

    assert.ok(bodies.length >= 1 && bodies.every((b) => b.url === '/v1/traces'));
    type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; kind: number; name: string };
    const doc = bodies.map(
      (b) =>
        JSON.parse(b.body) as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
        },
    );
    const spans = doc.flatMap((d) => d.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const producer = spans.find((s) => s.kind === 4);
    const consumer = spans.find((s) => s.kind === 5);
    assert.ok(producer && consumer, `spans: ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(consumer.traceId, producer.traceId);
    assert.equal(consumer.parentSpanId, producer.spanId);
    const service = doc[0]?.resourceSpans[0]?.resource.attributes.find((a) => a.key === 'service.name');
    assert.equal(service?.value.stringValue, 'otlp-runtime');
  });
});
