// The one splitter of newline-delimited input (Kubernetes watch NDJSON, journalctl's JSON lines, tailed daemon logs,
// the observer's event files): complete lines only, a partial last line waits for its newline, and no line holds
// more than maxLineBytes in memory — a writer that never sends a newline cannot grow the buffer without bound.

import { isAscii } from 'node:buffer';

/** Daemon log lines and observer event lines: a longer line keeps only its first MiB. */
export const MAX_LINE_BYTES = 1 << 20;

export interface Line {
  /** UTF-8 text without the newline (and without a trailing `\r`); may be empty. */
  text: string;
  /** Byte offset of the line's start in the stream. */
  offset: number;
  /** Byte offset just after the line's newline (or the stream's end, for a last line without one). */
  end: number;
  /** The line was longer than maxLineBytes: `text` is its first maxLineBytes bytes, the rest was dropped. */
  truncated: boolean;
}

/** Receives a complete line: its text (as in Line), the byte offset just after it, and whether it was cut. */
export type LineSink = (text: string, end: number, truncated: boolean) => void;

export class LineSplitter {
  private parts: Buffer[] = [];
  /** Bytes kept of the current line (at most maxLineBytes). */
  private kept = 0;
  private truncated = false;
  /** Stream offset of the current line's start. */
  private lineStart: number;
  /** Stream offset of the next byte pushed. */
  private position: number;

  /** @param start the stream offset of the first byte pushed (a file read from the middle) */
  constructor(
    private readonly maxLineBytes: number,
    start = 0,
  ) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes: expected a positive integer, got ${maxLineBytes}`);
    this.lineStart = this.position = start;
  }

  /** The lines `chunk` completes. The chunk is copied from, never kept: the caller may reuse it. */
  push(chunk: Buffer): Line[] {
    const out: Line[] = [];
    this.split(chunk, this.collect(out), false);
    return out;
  }

  /**
   * Like push, but each line goes to `onLine` as it is decoded and nothing is collected: a reader that handles a
   * line at once keeps no line alive past its use (the observer's rebuild reads a million of them). A line's text
   * may be a view of the whole chunk's text: a handler that keeps it keeps the chunk (copy what you keep).
   */
  scan(chunk: Buffer, onLine: LineSink): void {
    this.split(chunk, onLine, true);
  }

  private split(chunk: Buffer, onLine: LineSink, views: boolean): void {
    let from = views && this.kept === 0 && !this.truncated ? this.scanAscii(chunk, onLine) : 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      const end = this.position + nl + 1;
      if (this.kept === 0 && !this.truncated && nl - from <= this.maxLineBytes) {
        // the whole line is in this chunk (the usual case): decode it in place, nothing to copy or join
        this.line(chunk.toString('utf8', from, nl), end, false, onLine);
      } else {
        this.keep(chunk, from, nl);
        this.take(end, onLine);
      }
      from = nl + 1;
    }
    this.keep(chunk, from, chunk.length);
    this.position += chunk.length;
  }

  /**
   * The lines that lie whole inside `chunk`, when all their bytes are ASCII (the usual case): one decode of the
   * chunk, then string slices (views of it, not copies) instead of one decode per line, since every byte is one
   * character. Returns the chunk offset after the last line handled (0 when it handled none). Only for scan: lines
   * that push returns may be kept (a tailed log line in a batch), and a view would keep its whole chunk alive.
   */
  private scanAscii(chunk: Buffer, onLine: LineSink): number {
    const upTo = chunk.lastIndexOf(10) + 1;
    if (upTo === 0 || !isAscii(chunk.subarray(0, upTo))) return 0;
    const text = chunk.toString('latin1', 0, upTo);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const cut = nl - from > this.maxLineBytes;
      this.line(text.slice(from, cut ? from + this.maxLineBytes : nl), this.position + nl + 1, cut, onLine);
      from = nl + 1;
    }
    return upTo;
  }

  /** The stream ended: its last line, if it had no newline. */
  end(): Line[] {
    const out: Line[] = [];
    this.finish(this.collect(out));
    return out;
  }

  /** end() for a scan: the last line without a newline, if any, goes to `onLine`. */
  finish(onLine: LineSink): void {
    if (this.kept > 0 || this.truncated) this.take(this.position, onLine);
  }

  /** A sink that records lines with their byte range (what push and end return). */
  private collect(out: Line[]): LineSink {
    let offset = this.lineStart;
    return (text, end, truncated) => {
      out.push({ text, offset, end, truncated });
      offset = end;
    };
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    const room = this.maxLineBytes - this.kept;
    if (to - from > room) this.truncated = true;
    const upTo = Math.min(to, from + room);
    if (upTo > from) {
      this.parts.push(Buffer.from(chunk.subarray(from, upTo)));
      this.kept += upTo - from;
    }
  }

  private take(end: number, onLine: LineSink): void {
    const raw = Buffer.concat(this.parts, this.kept).toString('utf8');
    const truncated = this.truncated;
    this.parts = [];
    this.kept = 0;
    this.truncated = false;
    this.line(raw, end, truncated, onLine);
  }

  private line(raw: string, end: number, truncated: boolean, onLine: LineSink): void {
    this.lineStart = end;
    onLine(raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw, end, truncated);
  }
}
