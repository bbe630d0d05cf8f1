// Reads complete lines from an append-only events directory, in file-name order, from a byte position.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface Position {
  /** File being read ('' before the first); files sorting before it are done. */
  file: string;
  /** Bytes of `file` consumed (always at a line boundary). */
  offset: number;
  /** Lines of `file` consumed (for error messages naming the line number). */
  line: number;
}

export const START: Position = { file: '', offset: 0, line: 0 };

export interface Chunk {
  file: string;
  /** Line number (1-based) of the first line in `lines`. */
  firstLine: number;
  lines: string[];
  /** Position after these lines. */
  next: Position;
}

/** Event files: regular, non-hidden, not our temp files; sorted by name (byte order). */
export function listEventFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.') && !d.name.includes('.tmp'))
    .map((d) => d.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The next chunk of complete lines at or after `pos` (at most about `maxBytes`), or undefined when caught up.
 * A last line without a newline is taken only once a later file exists (the writer has moved on); until then
 * it may still be being written.
 */
export function readChunk(dir: string, pos: Position, maxBytes: number): Chunk | undefined {
  const files = listEventFiles(dir);
  let index = files.findIndex((f) => f >= pos.file);
  let current: Position = pos;
  while (index >= 0 && index < files.length) {
    const file = files[index]!;
    if (file !== current.file) current = { file, offset: 0, line: 0 };
    const chunk = readLines(join(dir, file), current, maxBytes, index < files.length - 1);
    if (chunk) return chunk;
    if (index === files.length - 1) return undefined;
    index++;
  }
  return undefined;
}

function readLines(path: string, pos: Position, maxBytes: number, closed: boolean): Chunk | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= pos.offset) return undefined;
    let want = Math.min(maxBytes, size - pos.offset);
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const got = readSync(fd, buf, 0, want, pos.offset);
      const atEnd = pos.offset + got >= size;
      let end = buf.lastIndexOf(10, got - 1) + 1;
      if (end === 0 && !atEnd) {
        want *= 2; // one line longer than the chunk: read more
        continue;
      }
      if (atEnd && closed && end < got) end = got;
      if (end === 0) return undefined;
      const text = buf.toString('utf8', 0, end);
      const lines = text.split('\n');
      if (text.endsWith('\n')) lines.pop();
      return {
        file: pos.file,
        firstLine: pos.line + 1,
        lines,
        next: { file: pos.file, offset: pos.offset + end, line: pos.line + lines.length },
      };
    }
  } finally {
    closeSync(fd);
  }
}

/** Every chunk available now, from `from` on. */
export function* readChunks(dir: string, from: Position, maxBytes: number): Generator<Chunk> {
  let pos = from;
  for (let chunk = readChunk(dir, pos, maxBytes); chunk; chunk = readChunk(dir, pos, maxBytes)) {
    pos = chunk.next;
    yield chunk;
  }
}
