// The events reader: complete lines in chunks with exact positions; one endless line is bounded, not buffered whole.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_LINE_BYTES } from '../../../src/core/lines.js';
import { readChunks, START, type Chunk } from '../../../src/sources/observer/reader.js';

/** The chunks from the start, and every line the reader handed over (text, file, line number), in order. */
function readAll(dir: string, maxBytes: number): { chunks: Chunk[]; lines: string[]; at: string[] } {
  const lines: string[] = [];
  const at: string[] = [];
  const chunks = [
    ...readChunks(dir, START, maxBytes, (text, file, line) => {
      lines.push(text);
      at.push(`${file}:${line}`);
    }),
  ];
  return { chunks, lines, at };
}

const event = (n: number) => JSON.stringify({ timestamp: '2026-05-12T12:00:00Z', type: 'node_heartbeat', node: `n${n}` });

test('a line over MAX_LINE_BYTES comes back cut to that size; the lines after it and the positions are exact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-reader-'));
  const long = `{"pad":"${'x'.repeat(3 * MAX_LINE_BYTES)}"}`;
  const text = `${event(1)}\n${long}\n\n${event(2)}\n`;
  writeFileSync(join(dir, '0001.jsonl'), text);
  const { chunks, lines, at } = readAll(dir, 64 * 1024);
  assert.deepEqual(
    lines.map((l) => l.length),
    [event(1).length, MAX_LINE_BYTES, 0, event(2).length],
  );
  assert.equal(lines[3], event(2));
  const last = chunks.at(-1)!.next;
  assert.deepEqual(last, { file: '0001.jsonl', offset: Buffer.byteLength(text), line: 4 });
  assert.deepEqual(
    chunks.map((c) => c.firstLine),
    chunks.map((_, i) => 1 + chunks.slice(0, i).reduce((n, c) => n + c.lines, 0)),
  );
  assert.deepEqual(at, ['0001.jsonl:1', '0001.jsonl:2', '0001.jsonl:3', '0001.jsonl:4'], 'each line comes with its file and line number');
});

test('a last line without a newline waits while its file is the newest, and is taken once a later file exists', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-reader-'));
  writeFileSync(join(dir, '0001.jsonl'), `${event(1)}\n${event(2)}`);
  assert.deepEqual(readAll(dir, 1024).lines, [event(1)]);
  writeFileSync(join(dir, '0002.jsonl'), `${event(3)}\n`);
  assert.deepEqual(readAll(dir, 1024).lines, [event(1), event(2), event(3)]);
});
