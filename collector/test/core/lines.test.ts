// The shared line splitter: complete lines with their offsets, partial lines wait, over-long lines are bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../src/core/lines.js';

const b = (s: string) => Buffer.from(s, 'utf8');
const texts = (lines: { text: string }[]) => lines.map((l) => l.text);

test('complete lines only; a partial line waits for its newline, empty lines and \\r are dropped', () => {
  const s = new LineSplitter(100);
  assert.deepEqual(s.push(b('{"a":1}\n{"b"')), [{ text: '{"a":1}', offset: 0, truncated: false }]);
  assert.deepEqual(s.push(b(':2}\r\n\n')), [{ text: '{"b":2}', offset: 8, truncated: false }]);
  assert.deepEqual(s.push(b('tail')), []);
  assert.deepEqual(s.end(), [{ text: 'tail', offset: 18, truncated: false }], 'the last line without a newline, at stream end');
});

test('a multi-byte character split across chunks stays whole', () => {
  const s = new LineSplitter(100);
  const bytes = b('héllo\n');
  assert.deepEqual(s.push(bytes.subarray(0, 2)), []);
  assert.deepEqual(texts(s.push(bytes.subarray(2))), ['héllo']);
});

test('a line longer than the bound is returned truncated once, its rest skipped, memory bounded', () => {
  const s = new LineSplitter(8);
  assert.deepEqual(s.push(b('0123456789ab')), [{ text: '01234567', offset: 0, truncated: true }]);
  assert.deepEqual(s.push(b('cdef'.repeat(1000))), [], 'still inside the long line: nothing buffered, nothing returned');
  assert.deepEqual(s.push(b('gh\nnext\n')), [{ text: 'next', offset: 4015, truncated: false }]);
  assert.deepEqual(texts(s.push(b('x'.repeat(20) + '\nok\n'))), ['xxxxxxxx', 'ok'], 'a long line inside one chunk is cut too');
  assert.deepEqual(s.end(), []);
});

test('offsets start where the stream is joined', () => {
  const s = new LineSplitter(100, 500);
  assert.deepEqual(s.push(b('a\nb\n')).map((l) => l.offset), [500, 502]);
});

test('a bound that is not a positive integer is refused, naming it', () => {
  assert.throws(() => new LineSplitter(0), /maxLineBytes/);
});
