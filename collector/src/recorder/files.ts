// File primitives of the archive: owner-only modes, atomic replace (temp + fsync + rename + dir fsync), safe names.
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../core/fsync-dir.js';

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

export { fsyncDir };

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
