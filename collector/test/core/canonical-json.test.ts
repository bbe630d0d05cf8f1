// canonicalJson against its oracle, JSON.stringify: it may decline any text, but a text it returns must be exactly
// what JSON.stringify writes for the parsed value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { Rng } from '../../src/core/random.js';

const check = (text: string) => canonicalJson(text, JSON.parse(text));

test('a compact record as JSON.stringify writes it is reused as is', () => {
  const line = JSON.stringify({
    v: 1,
    type: 'actor.exited',
    time: '2026-01-02T03:04:05.678Z',
    emitter: 'rt-1/incarnation 2',
    seq: 123456789012345,
    actor: { id: 'mesh:n1/a1', kind: 'worker', layer: 'mesh', name: 'wörker 🚀', node: 'mesh:n1' },
    exitCode: -1,
    attributes: { ok: true, none: null, list: [1, [0], {}] },
  });
  assert.equal(check(line), line);
});

test('texts that parse to the same value but are not what JSON.stringify writes are declined', () => {
  for (const text of [
    '{"a": 1}',
    '{"a":1}\n',
    ' {"a":1}',
    '{"a":"\\u0041"}',
    '{"a":"\\/"}',
    '{"a":"x\\"y"}',
    '{"a":1.0}',
    '{"a":1e2}',
    '{"a":-0}',
    '{"a":0.5}',
    '{"a":1234567890123456789}',
    '{"a":1,"a":2}',
    '{"o":{"k":1,"k":1},"p":1}',
    '{"b":1,"1":2}',
    '[{"a":1},{"a":1,"a":1}]',
    '{"a":"\ud800"}',
  ]) {
    assert.equal(check(text), undefined, text);
  }
});

/** A random JSON value: keys and strings drawn to hit every case the check must get right. */
function value(r: Rng, depth: number): unknown {
  const strings = ['', 'a', 'b c', 'é', '😀', '\ud800', 'x"y', 'back\\slash', 'tab\t', '\u2028', '10', '__proto__', 'k'];
  switch (r.int(depth > 3 ? 4 : 6)) {
    case 0:
      return r.pick([0, 1, -1, 7, 0.5, -2.25, 1e21, 2 ** 53, 123456789012345, -0, 1e-7])!;
    case 1:
      return r.pick(strings)!;
    case 2:
      return r.pick([true, false, null])!;
    case 3:
      return r.int(1000);
    case 4:
      return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--)
        Object.defineProperty(o, r.pick(strings)!, { value: value(r, depth + 1), enumerable: true, writable: true, configurable: true });
      return o;
    }
  }
}

/** Text variants of a value's JSON: as written, indented, with a key repeated, a character escaped, a number reformatted. */
function variants(r: Rng, json: string): string[] {
  const out = [json, JSON.stringify(JSON.parse(json), null, r.int(3))];
  const key = /"([^"\\]*)":/.exec(json);
  if (key) out.push(json.replace(key[0], `${key[0]}0,"${key[1]}":`));
  out.push(json.replace(/"a/, '"\\u0061'), json.replace(/(\d+)/, '$1.0'), json.replace(/(\d+)/, '$1e0'), json.replace(/:(\d)/, ':0$1'));
  return out;
}

test('property: whatever it returns equals JSON.stringify of the parsed value (20,000 texts)', () => {
  const r = new Rng(20261204);
  let reused = 0;
  let texts = 0;
  for (let i = 0; i < 5000; i++) {
    for (const text of variants(r, JSON.stringify(value(r, 0)))) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue; // a variant that is no longer JSON
      }
      texts++;
      const got = canonicalJson(text, parsed);
      if (got === undefined) continue;
      reused++;
      assert.equal(got, JSON.stringify(parsed), text);
    }
  }
  assert.ok(texts > 15_000, `${texts} texts`);
  // It must not decline everything: the point is to reuse most ordinary lines.
  assert.ok(reused > texts / 10, `${reused} of ${texts} reused`);
});
