import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type, type TSchema } from '@sinclair/typebox';
import { compileOnUse, validateRecord } from '../src/validate.js';

const t = '2026-11-01T12:00:00.000Z';
const node = { id: 'mesh:n1', kind: 'mesh-node', layer: 'mesh', name: 'n1' };
const actor = { ...node, id: 'mesh:n1/a', kind: 'worker', node: 'mesh:n1' };
const base = { v: 1, time: t, emitter: 'e/1', seq: 1 };

const valid: Record<string, object> = {
  'node.joined': { ...base, type: 'node.joined', node },
  'node.left': { ...base, type: 'node.left', node, reason: 'drained' },
  'node.failed': { ...base, type: 'node.failed', node, reason: 'killed' },
  'node.recovered': { ...base, type: 'node.recovered', node },
  'actor.spawned': { ...base, type: 'actor.spawned', actor, attributes: { 'process.pid': 42 } },
  'actor.exited': { ...base, type: 'actor.exited', actor, reason: 'OOMKilled', exitCode: 137 },
  'actor.restarted': { ...base, type: 'actor.restarted', actor, restartCount: 3, reason: 'Error' },
  audit: { ...base, type: 'audit', subject: 'hmx:shadow', message: 'dissonance 0.41 > 0.3', severity: 'warning' },
  flow: { ...base, type: 'flow', from: 'a', to: 'b', messages: 10, bytes: 1200 },
};

// One invalid example per type, each naming the field that is wrong.
const invalid: Record<string, [object, string]> = {
  'node.joined': [{ ...base, type: 'node.joined', node: { ...node, layer: 'moon' } }, '/node/layer'],
  'node.left': [{ ...base, type: 'node.left' }, '/node'],
  'node.failed': [{ ...base, type: 'node.failed', node, reason: '' }, '/reason'],
  'node.recovered': [{ ...base, type: 'node.recovered', node, extra: true }, '/extra'],
  'actor.spawned': [{ ...base, type: 'actor.spawned', actor: { ...actor, node: undefined } }, '/actor/node'],
  'actor.exited': [{ ...base, type: 'actor.exited', actor, exitCode: 1.5 }, '/exitCode'],
  'actor.restarted': [{ ...base, type: 'actor.restarted', actor }, '/restartCount'],
  audit: [{ ...base, type: 'audit', subject: 's', message: 'm', severity: 'meh' }, '/severity'],
  flow: [{ ...base, type: 'flow', from: 'a', to: 'b', messages: -1, bytes: 0 }, '/messages'],
};

for (const [type, record] of Object.entries(valid)) {
  test(`valid ${type} passes`, () => {
    const r = validateRecord(JSON.parse(JSON.stringify(record)));
    assert.ok(r.ok, JSON.stringify(r));
  });
  test(`invalid ${type} names the field`, () => {
    const [bad, field] = invalid[type]!;
    const r = validateRecord(JSON.parse(JSON.stringify(bad)));
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.ok(
        r.errors.some((e) => e.field === field),
        `${field} in ${JSON.stringify(r.errors)}`,
      );
  });
}

test('envelope checks: version, time, sequence, type, control characters, keyframes not ingestible', () => {
  const cases: [object, string][] = [
    [{ ...valid['node.joined'], v: 2 }, '/v'],
    [{ ...valid['node.joined'], time: 'yesterday' }, '/time'],
    [{ ...valid['node.joined'], seq: 1.5 }, '/seq'],
    [{ ...valid['node.joined'], type: 'node.exploded' }, '/type'],
    [{ ...valid['node.joined'], emitter: 'a\u0007b' }, '/emitter'],
    [{ ...base, type: 'keyframe', nodes: [], actors: [], flows: [] }, '/type'],
    [[1, 2], '/'],
    [{ ...valid['actor.spawned'], attributes: { 'bad key!': 1 } }, '/attributes'],
  ];
  for (const [bad, field] of cases) {
    const r = validateRecord(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
    if (!r.ok)
      assert.ok(
        r.errors.some((e) => e.field.startsWith(field)),
        `${field} in ${JSON.stringify(r.errors)}`,
      );
  }
  assert.ok(validateRecord({ ...base, type: 'keyframe', nodes: [], actors: [], flows: [] }, true).ok, 'keyframes validate where allowed');
});

test('unicode names are accepted as text', () => {
  const r = validateRecord({ ...valid['node.joined'], node: { ...node, name: 'узел-東京-🚀 <b>bold</b>' } });
  assert.ok(r.ok);
});

test('compileOnUse compiles on the first call, once: a schema ajv rejects throws only when used', () => {
  const rejected = compileOnUse({ type: 'object', notAKeyword: true } as unknown as TSchema);
  assert.throws(() => rejected(), /strict mode: unknown keyword: "notAKeyword"/);
  const get = compileOnUse(Type.Object({ n: Type.Integer() }));
  assert.equal(get(), get());
  assert.equal(get()({ n: 1 }), true);
  assert.equal(get()({ n: 'one' }), false);
});
