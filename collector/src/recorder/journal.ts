// The write-ahead journal of the open bundle: the records of a batch (one request, one frame) are appended in one
// write(2) before the batch is acknowledged, so a SIGKILL loses nothing the collector accepted; fdatasync runs on a
// short timer for power-loss safety, in libuv's thread pool (on the event loop it stalled requests on a busy disk).
import { closeSync, fdatasync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchivedRecord } from './bundle.js';
import { validateRecord } from '@harmonix/contract';
import { fsyncDirAsync } from '../core/fsync-dir.js';
import { FILE_MODE, readRegularFile, READ_LIMITS, removeQuietly } from './files.js';

export const JOURNAL_NAME = /^journal-(\d{12})\.ndjson$/;
export const journalName = (firstN: number) => `journal-${String(firstN).padStart(12, '0')}.ndjson`;

export class Journal {
  private fd: number | undefined;
  /** Bytes appended, written or not yet. */
  bytes = 0;
  private dirty = false;
  /** The fdatasync in flight: the descriptor is closed only after it (a closed fd number can be reused at once). */
  private syncing?: Promise<void>;
  /** Lines appended since the last write (a write(2) per record cost ~5× the CPU of one per batch). */
  private pending: string[] = [];
  /** Every write's bytes, in order: the file's content, kept for the bundle (no 4 MiB join and re-encode at a cut). */
  readonly written: Buffer[] = [];

  constructor(
    readonly dir: string,
    readonly firstN: number,
  ) {
    this.fd = openSync(join(dir, journalName(firstN)), 'a', FILE_MODE);
    // The new name is durable with the next directory sync; like the data, power loss may cost up to one sync tick.
    void fsyncDirAsync(dir);
  }

  get name(): string {
    return journalName(this.firstN);
  }

  /** A record's JSON; the journal ends it with a newline. */
  append(json: string): void {
    if (this.fd === undefined) throw new Error('journal is closed');
    this.pending.push(json);
    this.bytes += Buffer.byteLength(json) + 1;
  }

  /** Writes what was appended since the last write, in one write(2) (looped for a short write). */
  write(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    const buf = Buffer.from(`${this.pending.join('\n')}\n`);
    this.pending = [];
    this.written.push(buf);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.dirty = true;
  }

  /** Writes and then fdatasyncs what was written; one sync at a time (a call during one waits for it). */
  sync(): Promise<void> {
    this.write();
    if (this.syncing || this.fd === undefined || !this.dirty) return this.syncing ?? Promise.resolve();
    const fd = this.fd;
    this.dirty = false;
    this.syncing = new Promise<void>((resolve, reject) =>
      fdatasync(fd, (err) => {
        this.syncing = undefined;
        if (err) {
          this.dirty = true;
          reject(err);
        } else resolve();
      }),
    );
    return this.syncing;
  }

  async close(): Promise<void> {
    // Until nothing is in flight or unsynced; the close then follows the check with no await in between.
    while (this.fd !== undefined && (this.syncing || this.dirty || this.pending.length > 0)) await this.sync();
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  async remove(): Promise<void> {
    await this.close();
    removeQuietly(join(this.dir, this.name));
  }
}

export interface RecoveredJournal {
  name: string;
  firstN: number;
  records: ArchivedRecord[];
  /** A torn last line (the process died mid-write) was dropped. */
  tornTail: boolean;
  /** Lines that parse but are not valid contract records (left out; a journal is outside input on restart). */
  invalid: number;
  /** Why the file was not read at all (a symlink, not a regular file, too large); nothing imported. */
  refused?: string;
}

/** Journals left by a previous run, oldest first; a torn trailing line is dropped, invalid records are left out. */
export function recoverJournals(dir: string): RecoveredJournal[] {
  const found = readdirSync(dir)
    .map((name) => ({ name, m: JOURNAL_NAME.exec(name) }))
    .filter((x) => x.m)
    .map((x) => ({ name: x.name, firstN: Number(x.m![1]) }))
    .sort((a, b) => a.firstN - b.firstN);
  return found.map(({ name, firstN }) => {
    let text: string;
    try {
      text = readRegularFile(dir, name, READ_LIMITS.journalBytes).toString('utf8');
    } catch (err) {
      return { name, firstN, records: [], tornTail: false, invalid: 0, refused: (err as Error).message };
    }
    const lines = text.split('\n');
    const records: ArchivedRecord[] = [];
    let tornTail = false;
    let invalid = 0;
    for (const [i, line] of lines.entries()) {
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // Only the last line can be torn by a crash; anything after it is not trusted either.
        tornTail = i >= lines.length - 2;
        break;
      }
      const valid = validateRecord(parsed, true);
      if (valid.ok) records.push(valid.value as ArchivedRecord);
      else invalid++;
    }
    return { name, firstN, records, tornTail, invalid };
  });
}
