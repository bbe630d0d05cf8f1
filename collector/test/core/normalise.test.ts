import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseFrame } from '../../src/core/normalise.js';
import type { MetricDescriptor } from '../../src/core/observation.js';

const metrics = new Map<string, MetricDescriptor>([
  ['g', { name: 'g', kind: 'gauge', unit: '1', description: '', attributes: ['k'] }],
  ['c', { name: 'c', kind: 'counter', unit: 'By', description: '', attributes: [] }],
  ['h', { name: 'h', kind: 'histogram', unit: 's', description: '', attributes: ['k'] }],
]);
const goodRecord = { v: 1, type: 'audit', time: '2026-11-01T00:00:00.000Z', emitter: 'e', seq: 1, subject: 's', message: 'm', severity: 'info' };

test('valid items pass; each invalid item is dropped with its reason; good items survive a bad neighbour', () => {
  const out = normaliseFrame(
    {
      observations: [
        { metric: 'g', value: 0.5, attributes: { k: 'v' } },
        { metric: 'nope', value: 1 },
        { metric: 'g', value: Number.NaN },
        { metric: 'c', value: -1 },
        { metric: 'g', value: 1, attributes: { other: 'x' } },
        { metric: 'g', value: 1, attributes: { k: 'bad\u0000text' } },
        { metric: 'g', value: 1, attributes: { k: 'x'.repeat(300) } },
        null,
        { metric: 'c', value: 42 },
      ],
      records: [goodRecord, { ...goodRecord, seq: -1 }, 'junk'],
    },
    metrics,
  );
  assert.deepEqual(out.observations, [
    { metric: 'g', value: 0.5, attributes: { k: 'v' } },
    { metric: 'c', value: 42 },
  ]);
  assert.equal(out.records.length, 1);
  assert.deepEqual(
    out.dropped.map((d) => d.reason),
    [
      'unknown_metric',
      'non_finite_value',
      'negative_counter',
      'unknown_attribute',
      'bad_attribute_value',
      'bad_attribute_value',
      'not_an_object',
      'schema',
      'schema',
    ],
  );
});

test('a frame whose lists are not arrays is dropped as a whole, without throwing', () => {
  const out = normaliseFrame({ observations: 'x', records: 5 } as never, metrics);
  assert.deepEqual(out.observations, []);
  assert.deepEqual(
    out.dropped.map((d) => d.reason),
    ['not_an_object', 'not_an_object'],
  );
});

test('histogram samples travel as measurements only; each is checked like an observation', () => {
  const out = normaliseFrame(
    {
      observations: [{ metric: 'h', value: 1 }],
      measurements: [
        { metric: 'h', value: 7.2, attributes: { k: 'v' } },
        { metric: 'g', value: 1 },
        { metric: 'h', value: -1 },
        { metric: 'h', value: 1, attributes: { x: 'y' } },
      ],
    },
    metrics,
  );
  assert.deepEqual(out.measurements, [{ metric: 'h', value: 7.2, attributes: { k: 'v' } }]);
  assert.deepEqual(out.observations, []);
  assert.deepEqual(
    out.dropped.map((d) => d.reason),
    ['wrong_kind', 'wrong_kind', 'negative_counter', 'unknown_attribute'],
  );
});

test('log records and traces are checked like the rest: a bad one is dropped naming its field, its neighbours kept', () => {
  const log = {
    time: '2026-11-01T00:00:00.000Z',
    severityNumber: 17,
    severityText: 'ERROR',
    body: 'recovery failed',
    attributes: { 'log.file.name': 'r.log' },
    resource: { 'service.name': 'd' },
  };
  const span = { spanId: 'a'.repeat(16), name: 'deployment x', startTime: log.time, endTime: log.time, status: 'ok', attributes: {} };
  const trace = { kind: 'deployment', traceId: 'b'.repeat(32), spans: [span, { ...span, spanId: 'c'.repeat(16), parentSpanId: 'a'.repeat(16), name: 'pull' }] };
  const out = normaliseFrame(
    {
      logs: [log, { ...log, severityNumber: 99 }, { ...log, attributes: { nested: { no: 1 } } }, 'junk'],
      traces: [trace, { ...trace, traceId: 'not-hex' }, { ...trace, spans: [{ ...span, status: 'fine' }] }],
    },
    metrics,
  );
  assert.deepEqual(out.logs, [log]);
  assert.deepEqual(out.traces, [trace]);
  const details = out.dropped.map((d) => `${d.reason} ${d.detail}`);
  assert.equal(details.length, 5);
  assert.ok(
    details.every((d) => d.startsWith('schema ')),
    details.join(' | '),
  );
  assert.ok(
    details.some((d) => d.includes('log: /severityNumber')),
    details.join(' | '),
  );
  assert.ok(
    details.some((d) => d.includes('trace: /traceId')),
    details.join(' | '),
  );
  assert.ok(
    details.some((d) => d.includes('trace: /spans/0/status')),
    details.join(' | '),
  );
});
