import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ajv } from '../../../src/contract/validate.js';
import { diagnosticRefs, ObserverEvent, parseEventLine } from '../../../src/sources/observer/event.js';

const schema = ajv.compile(ObserverEvent);
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
    const viaHand = parseEventLine(JSON.stringify(sample)).ok;
    assert.equal(viaHand, viaSchema, `disagree on ${JSON.stringify(sample)}`);
  }
});

test('per-type required fields and reasons naming the field', () => {
  const r = parseEventLine(JSON.stringify({ timestamp: '2026-05-12T12:05:00Z', type: 'deployment_failed' }));
  assert.deepEqual(r, { ok: false, reason: '/correlation_id: required for deployment_failed' });
  assert.deepEqual(parseEventLine('[1]'), { ok: false, reason: '/: a JSON object' });
  assert.deepEqual(parseEventLine('nope'), { ok: false, reason: 'not valid JSON' });
  const ok = parseEventLine(JSON.stringify({ timestamp: '2026-05-12T12:05:00Z', type: 'custom_thing' }));
  assert.equal(ok.ok, true);
});

test('diagnostic references: strings or lists under the known keys, deduplicated in order', () => {
  assert.deepEqual(diagnosticRefs({ diagnostics: ['/a', '/b'], log_file: '/a', logs: [3, '/c'], other: '/x' }), ['/a', '/b', '/c']);
  assert.deepEqual(diagnosticRefs(undefined), []);
});
