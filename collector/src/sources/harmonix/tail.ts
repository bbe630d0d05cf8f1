// Follows a log file like `tail -F`: survives rename-rotation (drains the old inode, then reads the new file from
// its start) and truncation (restarts at 0), by tracking each open file's inode and byte offset. Only complete
// lines are returned; a partial last line waits for its newline.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { LineSplitter, MAX_LINE_BYTES as MAX_LINE } from '../../core/lines.js';

export interface TailLine {
  text: string;
  /** Inode and byte offset of the line's start (unique per line; tests use it to prove no duplicates). */
  ino: number;
  offset: number;
}

const HEAD = 64;

/** One open inode being followed. */
class Followed {
  offset = 0;
  private lines = new LineSplitter(MAX_LINE);
  /** First bytes as last read: a truncate followed by quick rewrites past our offset changes them. */
  head: Buffer = Buffer.alloc(0);

  constructor(
    readonly fh: FileHandle,
    readonly ino: number,
  ) {}

  private async readAt(n: number, position: number): Promise<Buffer> {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await this.fh.read(buf, 0, n, position);
    return buf.subarray(0, bytesRead);
  }

  /** Start after the last complete line (tail semantics); a partial line there is read once it completes. */
  async seekEnd(): Promise<void> {
    const size = (await this.fh.stat()).size;
    const from = Math.max(0, size - MAX_LINE);
    const nl = (await this.readAt(size - from, from)).lastIndexOf(10);
    this.offset = nl < 0 ? from : from + nl + 1;
    this.lines = new LineSplitter(MAX_LINE, this.offset);
    this.head = await this.readAt(HEAD, 0);
  }

  /** Complete lines appended since the last read. Returns whether anything new was there. */
  async read(out: TailLine[]): Promise<boolean> {
    const size = (await this.fh.stat()).size;
    const headNow = await this.readAt(this.head.length, 0);
    if (size < this.offset || !headNow.equals(this.head)) {
      this.offset = 0; // truncated (maybe already rewritten): all of the file is new
      this.lines = new LineSplitter(MAX_LINE);
      this.head = Buffer.alloc(0);
    }
    if (size === this.offset) return false;
    const chunk = await this.readAt(size - this.offset, this.offset);
    this.offset += chunk.length;
    // A line over MAX_LINE is kept truncated: a log line is still worth its first MiB.
    for (const line of this.lines.push(chunk)) if (line.text.length > 0) out.push({ text: line.text, ino: this.ino, offset: line.offset });
    if (this.head.length < HEAD) this.head = await this.readAt(HEAD, 0);
    return true;
  }
}

export class LogTailer {
  private current: Followed | undefined;
  /** The previous inode after a rotation: a writer may still append to it until it reopens its log. */
  private retired: Followed | undefined;
  private started = false;

  constructor(
    readonly path: string,
    private readonly startAtEnd: boolean,
  ) {}

  /** Read whatever is new. Never throws for a missing file (it may be between rotation steps). */
  async poll(): Promise<TailLine[]> {
    const out: TailLine[] = [];
    if (this.retired && !(await this.retired.read(out))) {
      await this.retired.fh.close().catch(() => undefined);
      this.retired = undefined;
    }
    if (!this.current) this.current = await this.openPath(this.startAtEnd && !this.started);
    this.started = true;
    if (!this.current) return out;
    await this.current.read(out);
    const now = await stat(this.path).catch(() => undefined);
    if (now && now.ino !== this.current.ino) {
      if (this.retired) await this.retired.fh.close().catch(() => undefined);
      this.retired = this.current;
      this.current = await this.openPath(false);
      await this.current?.read(out);
    }
    return out;
  }

  private async openPath(atEnd: boolean): Promise<Followed | undefined> {
    const fh = await open(this.path, 'r').catch(() => undefined);
    if (!fh) return undefined;
    const f = new Followed(fh, (await fh.stat()).ino);
    if (atEnd) await f.seekEnd();
    return f;
  }

  async close(): Promise<void> {
    for (const f of [this.current, this.retired]) await f?.fh.close().catch(() => undefined);
    this.current = this.retired = undefined;
  }
}
