// Reads complete lines from an append-only events directory, in file-name order, from a byte position.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { LineSplitter, MAX_LINE_BYTES } from '../../core/lines.js';

export interface Position {
  /** File being read ('' before the first); files sorting before it are done. */
  file: string;
  /** Bytes of `file` consumed (always at a line boundary). */
  offset: number;
  /** Lines of `file` consumed (for error messages naming the line number). */
  line: number;
}

export const START: Position = { file: '', offset: 0, line: 0 };

/** Takes each line as it is read (text without the newline; `line` is its 1-based number in `file`). */
export type LineHandler = (text: string, file: string, line: number) => void;

/** A chunk whose lines went to the handler. */
export interface Chunk {
  file: string;
  /** Line number (1-based) of the chunk's first line. */
  firstLine: number;
  /** Lines in the chunk. */
  lines: number;
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
 * The next chunk of complete lines at or after `pos` (at most about `maxBytes`), each handed to `onLine` as it is
 * decoded (none is kept, so none outlives its use), or undefined when caught up.
 * A last line without a newline is taken only once a later file exists (the writer has moved on); until then
 * it may still be being written.
 */
export function readChunk(dir: string, pos: Position, maxBytes: number, onLine: LineHandler): Chunk | undefined {
  const files = listEventFiles(dir);
  let index = files.findIndex((f) => f >= pos.file);
  let current: Position = pos;
  while (index >= 0 && index < files.length) {
    const file = files[index]!;
    if (file !== current.file) current = { file, offset: 0, line: 0 };
    const chunk = readLines(join(dir, file), current, maxBytes, index < files.length - 1, onLine);
    if (chunk) return chunk;
    if (index === files.length - 1) return undefined;
    index++;
  }
  return undefined;
}

function readLines(path: string, pos: Position, maxBytes: number, closed: boolean, onLine: LineHandler): Chunk | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= pos.offset) return undefined;
    // A line over MAX_LINE_BYTES keeps its first MiB (then fails to parse and is counted as malformed): one endless
    // line cannot make the reader buffer the whole file.
    const splitter = new LineSplitter(MAX_LINE_BYTES, pos.offset);
    const buf = Buffer.allocUnsafe(Math.min(maxBytes, size - pos.offset));
    let lines = 0;
    let next = pos.offset;
    const take = (text: string, end: number) => {
      lines++;
      next = end;
      onLine(text, pos.file, pos.line + lines);
    };
    // Whole blocks until at least one line is complete (a line longer than a block spans several).
    for (let at = pos.offset; at < size && lines === 0;) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
      if (got === 0) break;
      at += got;
      splitter.scan(buf.subarray(0, got), take);
      if (at >= size && closed) splitter.finish(take);
    }
    if (lines === 0) return undefined;
    return { file: pos.file, firstLine: pos.line + 1, lines, next: { file: pos.file, offset: next, line: pos.line + lines } };
  } finally {
    closeSync(fd);
  }
}

/** Every chunk available now, from `from` on (a chunk is yielded once its lines went to `onLine`). */
export function* readChunks(dir: string, from: Position, maxBytes: number, onLine: LineHandler): Generator<Chunk> {
  let pos = from;
  for (let chunk = readChunk(dir, pos, maxBytes, onLine); chunk; chunk = readChunk(dir, pos, maxBytes, onLine)) {
    pos = chunk.next;
    yield chunk;
  }
}
