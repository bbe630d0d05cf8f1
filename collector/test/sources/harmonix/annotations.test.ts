import assert from 'node:assert/strict';
import { test } from 'node:test';
import { annotationRecord, annotationSubject, validateAnnotation } from '../../../src/sources/harmonix/annotations.js';
import { validateRecord } from '@harmonix/contract';

const doc = { iso_timestamp: '2025-11-11T20:20:00Z', source: 'test', timezone: 'UTC', human: 'experiment_name' };

test('annotations: the runbook example is valid and becomes a valid contract audit record', () => {
  const v = validateAnnotation(doc);
  assert.equal(v.ok, true);
  let seq = 0;
  const rec = annotationRecord(v.ok ? v.value : doc, { emitter: 'api', nextSeq: () => ++seq });
  const check = validateRecord(rec);
  assert.ok(check.ok, JSON.stringify(check));
  assert.equal(rec.time, '2025-11-11T20:20:00Z');
  assert.equal(rec.subject, 'annotation:test');
  assert.equal(rec.message, 'experiment_name');
});

test('annotations: every invalid field is named', () => {
  const cases: [unknown, string][] = [
    [{ ...doc, iso_timestamp: '2025-11-11 20:20' }, '/iso_timestamp'],
    [{ ...doc, iso_timestamp: '2025-02-30T20:20:00Z' }, '/iso_timestamp'],
    [{ ...doc, timezone: 'Mars/Olympus' }, '/timezone'],
    [{ ...doc, human: '' }, '/human'],
    [{ ...doc, source: 'a\u0007b' }, '/source'],
    [{ ...doc, extra: 1 }, '/extra'],
    [{ source: 'x', timezone: 'UTC', human: 'h' }, '/iso_timestamp'],
    [[doc], '/'],
  ];
  for (const [input, field] of cases) {
    const v = validateAnnotation(input);
    assert.equal(v.ok, false, JSON.stringify(input));
    assert.ok(!v.ok && v.errors.some((e) => e.field === field), `${JSON.stringify(input)} → ${JSON.stringify(!v.ok && v.errors)}`);
  }
  assert.equal(validateAnnotation({ ...doc, timezone: 'Europe/Berlin', iso_timestamp: '2025-11-11T21:20:00.5+01:00' }).ok, true);
});

test('annotation subjects: verbatim up to the 256-code-point id, cut and hashed past it, never splitting a character', () => {
  const points = (t: string) => Array.from(t).length;
  assert.equal(annotationSubject('s'.repeat(245)), `annotation:${'s'.repeat(245)}`);
  const long = annotationSubject('s'.repeat(246));
  assert.equal(points(long), 256);
  assert.match(long, /^annotation:s{232}~[0-9a-f]{12}$/);
  const astral = annotationSubject('🎵'.repeat(256));
  assert.equal(points(astral), 256);
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(astral), 'no lone surrogate');
  assert.notEqual(annotationSubject(`${'p'.repeat(255)}1`), annotationSubject(`${'p'.repeat(255)}2`));
  assert.equal(annotationSubject('x'.repeat(300)), annotationSubject('x'.repeat(300)), 'stable');
});
