// LiveSeries against the real SDK: what one collection exports after callbacks stop reporting an attribute set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LiveSeries } from '../../src/export/live-series.js';

/** A meter on the live filter, and a function that collects once and returns metric name → attribute values seen. */
function setup() {
  const live = new LiveSeries();
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = live.attach(new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 }));
  const provider = new MeterProvider({ readers: [reader] });
  const meter = live.meter(provider.getMeter('test'));
  const collect = async () => {
    exporter.reset();
    await reader.forceFlush();
    const out: Record<string, string[]> = {};
    for (const rm of exporter.getMetrics()) {
      for (const sm of rm.scopeMetrics) {
        for (const m of sm.metrics)
          out[m.descriptor.name] = (m.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]).map(
            (p) => `${String(p.attributes.id)}=${String(p.value)}`,
          );
      }
    }
    return out;
  };
  return { meter, collect, provider };
}

test('a set the callback no longer reports is not exported; one it reports again comes back', async () => {
  const { meter, collect, provider } = setup();
  let ids = ['a', 'b'];
  meter.createObservableGauge('g').addCallback((r) => ids.forEach((id) => r.observe(1, { id })));
  meter.createObservableCounter('c').addCallback((r) => ids.forEach((id) => r.observe(5, { id })));
  assert.deepEqual(await collect(), { g: ['a=1', 'b=1'], c: ['a=5', 'b=5'] });
  ids = ['b'];
  assert.deepEqual(await collect(), { g: ['b=1'], c: ['b=5'] });
  ids = [];
  assert.deepEqual(await collect(), {}, 'an instrument with nothing observed exports nothing');
  ids = ['a'];
  assert.deepEqual(await collect(), { g: ['a=1'], c: ['a=5'] }, 'a counter that returns is cumulative again, not doubled');
  await provider.shutdown();
});

test('a callback that throws keeps its previous sets; a removed callback reports nothing', async () => {
  const { meter, collect, provider } = setup();
  let fail = false;
  const g = meter.createObservableGauge('g');
  const cb = (r: { observe(v: number, a: Record<string, string>): void }) => {
    r.observe(fail ? 9 : 1, { id: 'a' });
    if (fail) throw new Error('source broke mid-callback');
    r.observe(2, { id: 'b' });
  };
  g.addCallback(cb);
  assert.deepEqual(await collect(), { g: ['a=1', 'b=2'] });
  fail = true;
  assert.deepEqual(await collect(), { g: ['a=1', 'b=2'] }, 'the SDK keeps the last values; the filter keeps their sets');
  g.removeCallback(cb);
  assert.deepEqual(await collect(), {});
  await provider.shutdown();
});

test('batch callbacks: each instrument exports only what the latest run observed for it', async () => {
  const { meter, collect, provider } = setup();
  const x = meter.createObservableGauge('x');
  const y = meter.createObservableGauge('y');
  let round = 0;
  meter.addBatchObservableCallback(
    (r) => {
      r.observe(x, 1, { id: round === 0 ? 'old' : 'new' });
      if (round === 0) r.observe(y, 2, { id: 'only-first' });
    },
    [x, y],
  );
  assert.deepEqual(await collect(), { x: ['old=1'], y: ['only-first=2'] });
  round = 1;
  assert.deepEqual(await collect(), { x: ['new=1'] });
  await provider.shutdown();
});
