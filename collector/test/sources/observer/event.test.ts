import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ajv } from '@harmonix/contract';
import { diagnosticRefs, EventParser, ObserverEvent } from '../../../src/sources/observer/event.js';

const schema = ajv.compile(ObserverEvent);
const parser = new EventParser();
const parse = (line: string) => parser.parse(line);
const base = { timestamp: '2026-05-12T12:05:00Z', type: 'node_heartbeat', node: 'saturn' };
const samples: unknown[] = [
  base,
  { ...base, timestamp: '2026-05-12T12:05:00.123456+02:00' },
  { ...base, timestamp: '12:05' },
  { ...base, timestamp: 1715518800 },
  { ...base, type: 'Node Heartbeat' },
  { ...base, node: 'bad/name' },
  { ...base, node: '' },
  { ...base, service: 'ok-svc_1.2' },
  { ...base, correlation_id: '' },
  { ...base, correlation_id: 'x'.repeat(201) },
  { ...base, severity: 'fatal' },
  { ...base, severity: 'critical' },
  { ...base, message: 5 },
  { ...base, payload: [] },
  { ...base, payload: { stage: 'pull' } },
  { ...base, extra: 'kept' },
  { type: 'node_heartbeat', node: 'saturn' },
];

test('the hand-written event check agrees with the TypeBox schema on every sample', () => {
  for (const sample of samples) {
    const viaSchema = schema(sample);
    const viaHand = typeof parse(JSON.stringify(sample)) !== 'string';
    assert.equal(viaHand, viaSchema, `disagree on ${JSON.stringify(sample)}`);
  }
});

test('per-type required fields and reasons naming the field', () => {
  const r = parse(JSON.stringify({ timestamp: '2026-05-12T12:05:00Z', type: 'deployment_failed' }));
  assert.equal(r, '/correlation_id: required for deployment_failed');
  assert.equal(parse('[1]'), '/: a JSON object');
  assert.equal(parse('nope'), 'not valid JSON');
  const ok = parse(JSON.stringify({ timestamp: '2026-05-12T12:05:00Z', type: 'custom_thing' }));
  assert.equal(typeof ok, 'object');
  assert.equal(parser.ms, Date.parse('2026-05-12T12:05:00Z'));
});

test('diagnostic references: strings or lists under the known keys, deduplicated in order', () => {
  assert.deepEqual(diagnosticRefs({ diagnostics: ['/a', '/b'], log_file: '/a', logs: [3, '/c'], other: '/x' }), ['/a', '/b', '/c']);
  assert.deepEqual(diagnosticRefs(undefined), []);
});

test('timestamp parsing: agrees with Date.parse on valid ISO 8601, rejects what does not exist or has no zone', async () => {
  const { parseIsoMs } = await import('../../../src/sources/observer/time.js');
  const valid = [
    '2026-05-12T12:05:00Z',
    '2026-05-12t12:05:00z',
    '2026-05-12 12:05:00Z',
    '2026-05-12T12:05:00.1Z',
    '2026-05-12T12:05:00.12Z',
    '2026-05-12T12:05:00.123Z',
    '2026-05-12T12:05:00.123456789Z',
    '2026-05-12T12:05:00+02:00',
    '2026-05-12T12:05:00.5-07:30',
    '2024-02-29T00:00:00Z',
    '1999-12-31T23:59:59Z',
  ];
  for (const s of valid) assert.equal(parseIsoMs(s), Date.parse(s.replace(' ', 'T').toUpperCase()), s);
  for (let i = 0; i < 2000; i++) {
    const iso = new Date(Math.floor(Math.random() * 4e12)).toISOString();
    assert.equal(parseIsoMs(iso), Date.parse(iso), iso);
  }
  const invalid = [
    '2026-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-05-12T24:00:00Z',
    '2026-05-12T12:60:00Z',
    '2026-05-12T12:05:00',
    '2026-05-12T12:05:00.Z',
    '2026-05-12T12:05:00+2:00',
    '2026-05-12T12:05:00Zjunk',
    '2026-5-12T12:05:00Z',
    'May 12 2026 12:05:00 GMT',
  ];
  for (const s of invalid) assert.ok(Number.isNaN(parseIsoMs(s)), s);
});
