// Reads complete lines from an append-only events directory, in file-name order, from a byte position.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { LineSplitter, MAX_LINE_BYTES, type Line } from '../../core/lines.js';

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
    // A line over MAX_LINE_BYTES keeps its first MiB (then fails to parse and is counted as malformed): one endless
    // line cannot make the reader buffer the whole file.
    const splitter = new LineSplitter(MAX_LINE_BYTES, pos.offset);
    const buf = Buffer.allocUnsafe(Math.min(maxBytes, size - pos.offset));
    const lines: string[] = [];
    let next = pos.offset;
    const take = (done: Line[]) => {
      for (const line of done) lines.push(line.text);
      if (done.length > 0) next = done.at(-1)!.end;
    };
    // Whole blocks until at least one line is complete (a line longer than a block spans several).
    for (let at = pos.offset; at < size && lines.length === 0;) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
      if (got === 0) break;
      at += got;
      take(splitter.push(buf.subarray(0, got)));
      if (at >= size && closed) take(splitter.end());
    }
    if (lines.length === 0) return undefined;
    return { file: pos.file, firstLine: pos.line + 1, lines, next: { file: pos.file, offset: next, line: pos.line + lines.length } };
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
