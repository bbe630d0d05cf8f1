// The collector's readers take SERIES_LIMIT series per instrument, not the SDK's default 2,000 (past which every
// further series would be folded into one `otel_metric_overflow` point).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectorStats } from '../../src/core/stats.js';
import { collectorResource } from '../../src/export/resource.js';
import { SERIES_LIMIT, Telemetry } from '../../src/export/telemetry.js';

test('an instrument with more series than the SDK default exports each of them on /metrics', async () => {
  const telemetry = await Telemetry.create(collectorResource('series-limit-test'), undefined, new CollectorStats());
  try {
    const series = 2_500;
    assert.ok(series < SERIES_LIMIT);
    const attributes = Array.from({ length: series }, (_, i) => ({ 'hmx.actor.id': `a${i}` }));
    telemetry.meter.createObservableGauge('hmx.test.up').addCallback((r) => {
      for (const a of attributes) r.observe(1, a);
    });
    const { resourceMetrics, errors } = await telemetry.prometheus.collect();
    assert.deepEqual(errors, []);
    const points = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'hmx.test.up')?.dataPoints ?? [];
    assert.equal(points.length, series);
    assert.ok(!points.some((p) => p.attributes['otel.metric.overflow'] === true), 'no overflow point');
  } finally {
    await telemetry.shutdown();
  }
});
