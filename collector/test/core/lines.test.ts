// The shared line splitter: complete lines with their offsets, partial lines wait, over-long lines are bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../src/core/lines.js';

const b = (s: string) => Buffer.from(s, 'utf8');
const texts = (lines: { text: string }[]) => lines.map((l) => l.text);

test('complete lines only, with their byte range; a partial line waits; \\r is dropped, empty lines kept', () => {
  const s = new LineSplitter(100);
  assert.deepEqual(s.push(b('{"a":1}\n{"b"')), [{ text: '{"a":1}', offset: 0, end: 8, truncated: false }]);
  assert.deepEqual(s.push(b(':2}\r\n\n')), [
    { text: '{"b":2}', offset: 8, end: 17, truncated: false },
    { text: '', offset: 17, end: 18, truncated: false },
  ]);
  assert.deepEqual(s.push(b('tail')), []);
  assert.deepEqual(s.end(), [{ text: 'tail', offset: 18, end: 22, truncated: false }], 'the last line without a newline, at stream end');
  assert.deepEqual(s.end(), [], 'taken once');
});

test('a multi-byte character split across chunks stays whole; a reused chunk buffer does not corrupt the line', () => {
  const s = new LineSplitter(100);
  const chunk = Buffer.from(b('héllo\n'));
  const first = Buffer.from(chunk.subarray(0, 2));
  const reused = Buffer.alloc(2);
  first.copy(reused);
  assert.deepEqual(s.push(reused), []);
  reused.fill(0);
  assert.deepEqual(texts(s.push(chunk.subarray(2))), ['héllo']);
});

test('a line longer than the bound keeps its first bytes, marked truncated, and its full byte range', () => {
  const s = new LineSplitter(8);
  assert.deepEqual(s.push(b('0123456789ab')), []);
  assert.deepEqual(s.push(b('cdef'.repeat(1000))), [], 'still inside the long line');
  assert.deepEqual(s.push(b('gh\nnext\n')), [
    { text: '01234567', offset: 0, end: 4015, truncated: true },
    { text: 'next', offset: 4015, end: 4020, truncated: false },
  ]);
  assert.deepEqual(texts(s.push(b(`${'x'.repeat(20)}\nok\n`))), ['xxxxxxxx', 'ok'], 'a long line inside one chunk is cut too');
  assert.deepEqual(s.push(b('y'.repeat(9))), []);
  assert.deepEqual(s.end(), [{ text: 'yyyyyyyy', offset: 4044, end: 4053, truncated: true }]);
});

test('offsets start where the stream is joined', () => {
  const s = new LineSplitter(100, 500);
  assert.deepEqual(
    s.push(b('a\nb\n')).map((l) => [l.offset, l.end]),
    [
      [500, 502],
      [502, 504],
    ],
  );
});

test('a bound that is not a positive integer is refused, naming it', () => {
  assert.throws(() => new LineSplitter(0), /maxLineBytes/);
});

test('wherever the chunks are cut, the lines are the same (lines inside a chunk and lines across chunks)', () => {
  const input = b('{"a":"é"}\r\n\nsecond line\nxxxxxxxxxxxx\n\rlast');
  const whole = new LineSplitter(10);
  const want = [...whole.push(input), ...whole.end()];
  assert.equal(want.length, 5);
  for (let cut = 1; cut < input.length; cut++) {
    const s = new LineSplitter(10);
    const got = [...s.push(input.subarray(0, cut)), ...s.push(input.subarray(cut)), ...s.end()];
    assert.deepEqual(got, want, `cut at byte ${cut}`);
  }
});

test('scan hands over the same lines as push, one at a time, wherever the chunks are cut', () => {
  const input = b('{"a":"é"}\r\n\nsecond line\nxxxxxxxxxxxx\n\rlast');
  const whole = new LineSplitter(10);
  const want = [...whole.push(input), ...whole.end()].map(({ text, end, truncated }) => ({ text, end, truncated }));
  for (let cut = 1; cut < input.length; cut++) {
    const s = new LineSplitter(10);
    const got: { text: string; end: number; truncated: boolean }[] = [];
    const onLine = (text: string, end: number, truncated: boolean) => got.push({ text, end, truncated });
    s.scan(input.subarray(0, cut), onLine);
    s.scan(input.subarray(cut), onLine);
    s.finish(onLine);
    assert.deepEqual(got, want, `cut at byte ${cut}`);
  }
});

test('scan decodes ASCII as one block and hands over the lines a byte-at-a-time push gives (\\r dropped, long lines cut)', () => {
  const input = b('{"a":1}\r\n\n0123456789abcdef\nshort\r\n\rtail');
  const block = new LineSplitter(10);
  const got: { text: string; end: number; truncated: boolean }[] = [];
  const onLine = (text: string, end: number, truncated: boolean) => got.push({ text, end, truncated });
  block.scan(input, onLine);
  block.finish(onLine);
  const bytewise = new LineSplitter(10);
  const want = [...[...input].flatMap((byte) => bytewise.push(Buffer.from([byte]))), ...bytewise.end()];
  assert.deepEqual(
    got,
    want.map(({ text, end, truncated }) => ({ text, end, truncated })),
  );
  assert.deepEqual(texts(got), ['{"a":1}', '', '0123456789', 'short', '\rtail']);
  assert.equal(got[2]!.truncated, true);
});
