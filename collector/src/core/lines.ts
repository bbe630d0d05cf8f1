// The one splitter of newline-delimited streams (Kubernetes watch NDJSON, journalctl's JSON lines, tailed daemon
// logs): complete lines only, a partial last line waits for its newline, and no line holds more than maxLineBytes
// in memory — a writer that never sends a newline cannot grow the buffer without bound.

/** Daemon log lines (tailed files, journalctl entries): longer ones are kept truncated to this. */
export const MAX_LOG_LINE_BYTES = 1 << 20;

export interface Line {
  /** UTF-8 text without the newline (and without a trailing `\r`). */
  text: string;
  /** Byte offset of the line's start in the stream. */
  offset: number;
  /** The line was longer than maxLineBytes: `text` is its first maxLineBytes bytes, the rest was skipped. */
  truncated: boolean;
}

export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Inside an over-long line already returned truncated: bytes are dropped up to its newline. */
  private skipping = false;

  /** @param start the stream offset of the first byte pushed (a file followed from the middle) */
  constructor(
    private readonly maxLineBytes: number,
    private start = 0,
  ) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes: expected a positive integer, got ${maxLineBytes}`);
  }

  /** The complete lines `chunk` finishes; empty lines are left out. */
  push(chunk: Buffer): Line[] {
    const out: Line[] = [];
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let from = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, from)) {
      const long = nl - from > this.maxLineBytes;
      if (!this.skipping) this.emit(out, data, from, long ? from + this.maxLineBytes : nl, long);
      this.skipping = false;
      from = nl + 1;
    }
    const rest = data.length - from;
    if (this.skipping) {
      this.pending = Buffer.alloc(0);
      this.start += data.length;
    } else if (rest > this.maxLineBytes) {
      this.emit(out, data, from, from + this.maxLineBytes, true);
      this.skipping = true;
      this.pending = Buffer.alloc(0);
      this.start += data.length;
    } else {
      this.pending = Buffer.from(data.subarray(from)); // a copy: the caller may reuse its chunk
      this.start += from;
    }
    return out;
  }

  /** The stream ended: its last line, if it had no newline. */
  end(): Line[] {
    const out: Line[] = [];
    if (!this.skipping && this.pending.length > 0) this.emit(out, this.pending, 0, this.pending.length, false);
    this.pending = Buffer.alloc(0);
    this.skipping = false;
    return out;
  }

  private emit(out: Line[], data: Buffer, from: number, to: number, truncated: boolean): void {
    const text = data.toString('utf8', from, to).replace(/\r$/, '');
    if (text.length > 0) out.push({ text, offset: this.start + from, truncated });
  }
}
