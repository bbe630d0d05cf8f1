// File primitives of the archive: owner-only modes, atomic replace (temp + fsync + rename + dir fsync), safe names.
import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, fsyncDirAsync } from '../core/fsync-dir.js';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
export const TMP_SUFFIX = '.tmp';

/** Creates the archive directory (owner-only) or tightens an existing one that we own. */
export function ensureArchiveDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`archive path ${dir} is not a directory`);
  if ((st.mode & 0o077) !== 0 && typeof process.getuid === 'function' && st.uid === process.getuid()) chmodSync(dir, DIR_MODE);
}

/** Writes `data` to `dir/name` so that readers see either the old file or the complete new one, never a partial one. */
export function atomicWrite(dir: string, name: string, data: Uint8Array | string): void {
  const final = join(dir, name);
  const tmp = `${final}.${process.pid}${TMP_SUFFIX}`;
  const fd = openSync(tmp, 'w', FILE_MODE);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, final);
  fsyncDir(dir);
}

/**
 * atomicWrite with every step off the event loop. The running recorder uses it: on a busy disk each fsync can take
 * tens of milliseconds, and on the main thread that time was the tail of every request waiting behind it.
 */
export async function atomicWriteAsync(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const final = join(dir, name);
  const tmp = `${final}.${process.pid}${TMP_SUFFIX}`;
  const handle = await open(tmp, 'w', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, final);
  await fsyncDirAsync(dir);
}

/** Limits on what the recorder reads back (a planted /dev/zero, FIFO or decompression bomb costs nothing). */
export const READ_LIMITS = {
  /** manifest.json: ~300 bytes per bundle entry. */
  manifestBytes: 16 * 1024 * 1024,
  /** A journal is cut at ≤ 4 MiB; the slack covers the record that crossed the cap. */
  journalBytes: 16 * 1024 * 1024,
  /** A compressed bundle file. */
  bundleBytes: 64 * 1024 * 1024,
  /** A bundle's NDJSON once decompressed (its journal was ≤ 4 MiB). */
  decompressedBytes: 64 * 1024 * 1024,
  /** shipper.cursor and the lock file. */
  smallFileBytes: 4096,
};

export class UnsafeFileError extends Error {
  constructor(
    readonly problem: 'missing' | 'symlink' | 'not_a_file' | 'too_large',
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/**
 * Reads `dir/name`, a plain name directly inside `dir`, only if it is a regular file of at most `maxBytes`: opened
 * with O_NOFOLLOW (a symlink is refused, not followed) and O_NONBLOCK (a planted FIFO cannot hang the open), checked
 * with fstat on the opened descriptor, and read up to its size only.
 */
export function readRegularFile(dir: string, name: string, maxBytes: number): Buffer {
  if (!isSafeName(name)) throw new UnsafeFileError('not_a_file', JSON.stringify(name).slice(0, 300), 'not a plain file name inside the archive');
  let fd: number;
  try {
    fd = openSync(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnsafeFileError('missing', name, 'missing');
    if (code === 'ELOOP') throw new UnsafeFileError('symlink', name, 'is a symbolic link (refused)');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafeFileError('not_a_file', name, 'is not a regular file (refused)');
    if (st.size > maxBytes) throw new UnsafeFileError('too_large', name, `${st.size} bytes, more than the ${maxBytes} allowed`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** Deletes `dir/name` only if it is a plain name for a regular file (never a link target, never outside `dir`). */
export function removeOwnFile(dir: string, name: string): void {
  if (!isSafeName(name)) return;
  try {
    if (!lstatSync(join(dir, name)).isFile()) return;
  } catch {
    return;
  }
  removeQuietly(join(dir, name));
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Bundle files are plain names: letters, digits, dot, dash, underscore; no separators, no `..`, nothing hidden. */
export function isSafeName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= 255 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !name.includes('..');
}

export type FileCheck = { ok: true } | { ok: false; problem: 'missing' | 'symlink' | 'not_a_file' };

/** A manifest entry must be a regular file directly inside the archive (never followed through a link). */
export function checkRegularFile(dir: string, name: string): FileCheck {
  try {
    const st = lstatSync(join(dir, name));
    if (st.isSymbolicLink()) return { ok: false, problem: 'symlink' };
    if (!st.isFile()) return { ok: false, problem: 'not_a_file' };
    return { ok: true };
  } catch {
    return { ok: false, problem: 'missing' };
  }
}
