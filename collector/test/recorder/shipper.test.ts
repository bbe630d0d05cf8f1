// The durable shipper with a real HTTP OTLP peer: pending while it refuses, sent when back, resume from the cursor,
// counters as OTel metrics, and the wiring into startCollector (sinks + lifecycleSink).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { startCollector } from '../../src/app.js';
import { buildConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/logger.js';
import { createFlightRecorder } from '../../src/recorder/index.js';
import { builtinSources } from '../../src/sources/index.js';
import { FakeOtlp, FIXTURE_START, randomStream, tempDir } from './helpers.js';
import { FakeClock, settle } from '../support/fake-clock.js';
import { pollUntil } from '../../../test/support/wait.js';

// The recorder's clock is the fixtures' (retention must not depend on today's date).
const fixtureNow = () => FIXTURE_START + 2 * 86_400_000;

class TestReader extends MetricReader {
  protected onForceFlush() {
    return Promise.resolve();
  }
  protected onShutdown() {
    return Promise.resolve();
  }
}

const fast = { lingerMs: 10, retryMinMs: 50, retryMaxMs: 200 };
const lifecycleOnly = <T extends { type: string }>(rs: readonly T[]) => rs.filter((r) => r.type !== 'flow');

test('endpoint refusing: records stay pending; when it is back they are all sent once; the cursor is on disk', async (t) => {
  const dir = await tempDir(t);
  const otlp = await FakeOtlp.start();
  t.after(() => otlp.close());
  otlp.down = true;
  const reader = new TestReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
  const rec = createFlightRecorder(
    { dir, bundleMaxRecords: 40 },
    { logger: silentLogger(), otlp: { endpoint: otlp.url }, shipper: fast, meter, now: fixtureNow },
  );
  t.after(() => rec.close());
  assert.ok(rec.lifecycleSink, 'with an endpoint the recorder ships lifecycle records');
  const stream = randomStream(31, 150);
  const shipped = lifecycleOnly(stream);
  stream.forEach((r, i) => (r.type === 'keyframe' ? rec.sink.writeKeyframe!(r) : rec.sink.write(r, i + 1)));
  await pollUntil(async () => (otlp.requests >= 3 ? true : undefined), { timeoutMs: 10_000, what: 'export attempts' });
  const during = rec.status().shipping as { pending: number; sent: number; failures: number };
  assert.equal(during.pending, shipped.length);
  assert.equal(during.sent, 0);
  assert.ok(during.failures >= 1);

  const { resourceMetrics } = await reader.collect();
  const values = Object.fromEntries(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m.dataPoints[0]?.value]));
  assert.equal(values['hmx.recorder.pending'], shipped.length);
  assert.equal(values['hmx.recorder.sent'], 0);
  assert.equal(values['hmx.recorder.dropped'], 0);
  assert.ok((values['hmx.recorder.bytes'] as number) > 0);

  otlp.down = false;
  await pollUntil(async () => (otlp.logs.length >= shipped.length ? true : undefined), { timeoutMs: 15_000, what: 'all lifecycle records to arrive' });
  assert.deepEqual(otlp.bodies(), JSON.parse(JSON.stringify(shipped)), 'in order, no flows, nothing twice');
  // the body is the journal's text of the record, byte for byte what serialising the record gives
  assert.deepEqual(
    otlp.logs.map((l) => l.body),
    shipped.map((r) => JSON.stringify(r)),
  );
  const after = rec.status().shipping as { pending: number; sent: number; acked: number };
  assert.equal(after.pending, 0);
  assert.equal(after.sent, shipped.length);
  const cursor = () => (JSON.parse(readFileSync(join(dir, 'shipper.cursor'), 'utf8')) as { acked: number }).acked;
  const lastShippable = stream.map((r) => r.type !== 'flow').lastIndexOf(true) + 1;
  // Persisted shortly after the acknowledgement (the cursor is written at most every 200 ms), and at stop.
  await pollUntil(async () => (cursor() >= lastShippable ? true : undefined), { timeoutMs: 5_000, what: 'the acknowledged position on disk' });
  await rec.close();
  assert.equal(cursor(), after.acked, 'the last acknowledged position is on disk after stop');

  // A new run on the same archive resumes after the acknowledged position: nothing is sent again.
  const again = createFlightRecorder({ dir, bundleMaxRecords: 40 }, { logger: silentLogger(), otlp: { endpoint: otlp.url }, shipper: fast, now: fixtureNow });
  t.after(() => again.close());
  const more = randomStream(32, 40, FIXTURE_START + 86_400_000);
  more.forEach((r, i) => (r.type === 'keyframe' ? again.sink.writeKeyframe!(r) : again.sink.write(r, i + 1)));
  const expected = [...shipped, ...lifecycleOnly(more)];
  await pollUntil(async () => (otlp.logs.length >= expected.length ? true : undefined), { timeoutMs: 15_000, what: 'the second run to ship' });
  await again.close();
  assert.deepEqual(otlp.bodies(), JSON.parse(JSON.stringify(expected)));
});

test('retries back off on the injected clock: doubling from 500 ms to the 30 s cap, equal jitter, no real waiting', async (t) => {
  const dir = await tempDir(t);
  const otlp = await FakeOtlp.start();
  t.after(() => otlp.close());
  otlp.down = true;
  const clock = new FakeClock(fixtureNow());
  // The lowest jitter draw: each wait is exactly half its ceiling (the defaults' 2 × 500 ms base, doubling, 30 s cap).
  const rec = createFlightRecorder({ dir }, { logger: silentLogger(), otlp: { endpoint: otlp.url }, shipper: { clock, random: () => 0 }, now: fixtureNow });
  t.after(() => rec.close());
  const shipping = () => rec.status().shipping as { pending: number; sent: number; failures: number };
  const stream = randomStream(5, 20);
  const shipped = lifecycleOnly(stream);
  stream.forEach((r, i) => (r.type === 'keyframe' ? rec.sink.writeKeyframe!(r) : rec.sink.write(r, i + 1)));
  await clock.advance(20); // the default linger before the first request

  const waits: number[] = [];
  for (let failures = 1; failures <= 6; failures++) {
    await pollUntil(async () => (shipping().failures === failures ? true : undefined), { timeoutMs: 10_000, what: `failed request ${failures}` });
    const wait = clock.sleeps.at(-1)!;
    waits.push(wait);
    await clock.advance(wait - 1);
    await settle();
    assert.equal(otlp.requests, failures, `no request before the ${wait} ms wait is over`);
    if (failures === 6) otlp.down = false;
    await clock.advance(1);
  }
  assert.deepEqual(waits, [500, 1000, 2000, 4000, 8000, 15_000]);
  await pollUntil(async () => (shipping().sent === shipped.length ? true : undefined), { timeoutMs: 10_000, what: 'the backlog after the endpoint is back' });
  assert.equal(shipping().pending, 0);
  assert.equal(shipping().failures, 0);
  assert.deepEqual(otlp.bodies(), JSON.parse(JSON.stringify(shipped)));
  await rec.close(); // before the temporary directory goes
});

test('disabled recorder: a no-op sink and no lifecycle sink; without an endpoint: archive only', async (t) => {
  const dir = await tempDir(t);
  const off = createFlightRecorder({ enabled: false, dir });
  assert.equal(off.lifecycleSink, undefined);
  assert.deepEqual(off.status(), { enabled: false });
  const local = createFlightRecorder({ dir }, { logger: silentLogger() });
  assert.equal(local.lifecycleSink, undefined);
  const stream = randomStream(2, 10);
  stream.forEach((r, i) => (r.type === 'keyframe' ? local.sink.writeKeyframe!(r) : local.sink.write(r, i + 1)));
  assert.equal(local.status().archived, 10);
  assert.match(String((local.status().shipping as { reason: string }).reason), /no OTLP endpoint/);
  await local.close();
  assert.equal(local.status().bundles, 1);
});

test('wired into startCollector: ingested events and keyframes are archived and shipped as the contract log records', async (t) => {
  const dir = await tempDir(t);
  const otlp = await FakeOtlp.start();
  t.after(() => otlp.close());
  const config = buildConfig(
    [
      {
        listen: '127.0.0.1:0',
        otlp: { endpoint: otlp.url, logsProtocol: 'http/json' /* the stand-in reads JSON */ },
        recorder: { dir },
        sources: { os: { enabled: false }, hardware: { enabled: false } },
      },
    ],
    builtinSources,
  );
  const logger = silentLogger();
  const recorder = createFlightRecorder(config.raw.recorder, { logger, otlp: config.otlp, serviceName: config.serviceName, shipper: fast });
  const collector = await startCollector(config, { logger, sinks: [recorder.sink], lifecycleSink: recorder.lifecycleSink, routes: [recorder.route] });
  recorder.bindMeter(collector.telemetry.meter);
  let stopped = false;
  t.after(async () => {
    if (!stopped) await collector.stop();
  });
  const node = { id: 'mesh:w1', kind: 'vm', layer: 'mesh' as const, name: 'w1' };
  const time = new Date().toISOString();
  collector.ingest([
    { v: 1, type: 'node.joined', time, emitter: 'wire', seq: 1, node },
    { v: 1, type: 'actor.spawned', time, emitter: 'wire', seq: 2, actor: { id: 'mesh:w1/a', kind: 'worker', layer: 'mesh', name: 'a', node: 'mesh:w1' } },
    { v: 1, type: 'flow', time, emitter: 'wire', seq: 3, from: 'mesh:w1/a', to: 'mesh:w1/a', messages: 3, bytes: 30 },
  ]);
  collector.topology.emitKeyframe(Date.parse(time));
  await pollUntil(async () => (otlp.logs.length >= 4 ? true : undefined), { timeoutMs: 10_000, what: 'shipped records' });
  assert.deepEqual(
    otlp.logs.map((l) => l.eventName),
    ['hmx.node.joined', 'hmx.node.joined', 'hmx.actor.spawned', 'hmx.keyframe'],
    'host join, ingested events, keyframe; the flow is not a log record',
  );
  assert.equal(otlp.logs[2]!.attributes['hmx.actor.id'], 'mesh:w1/a', 'attributes as the live lifecycle sink sets them');
  const status = (await (await fetch(`${collector.url}/v1/recorder`)).json()) as { archived: number; shipping: { sent: number } };
  assert.equal(status.archived, 5);
  assert.equal(status.shipping.sent, 4);
  const metrics = await (await fetch(`${collector.url}/metrics`)).text();
  assert.match(metrics, /hmx_recorder_sent(_total)? 4/);
  await collector.stop(); // closes the recorder through sink.close()
  stopped = true;
  const bundles = recorder.status().bundles as number;
  assert.equal(bundles, 1, 'stop seals the open bundle');
});
