// Never half-written: write a temp file next to the target, fsync it, rename over the target, fsync the directory.
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../../core/fsync-dir.js';

/**
 * Our temp files carry our own marker: the state directory is shared with other tools (their stage markers), so
 * clean-up must recognise what this observer wrote and nothing else.
 */
const TEMP_MARK = '.hmx-observer.tmp-';
const OUR_TEMP = /\.hmx-observer\.tmp-\d+$/;

export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}${TEMP_MARK}${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Make the renames in a directory durable (one call after a batch of writeFileAtomic). */
export const syncDir = fsyncDir;

/** Remove the temp files a killed observer left behind (never renamed, so nothing refers to them); only ours. */
export function removeStaleTemps(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isFile() && OUR_TEMP.test(entry.name)) rmSync(join(dir, entry.name), { force: true });
}

/** True for a temp file this observer writes (readers of shared directories skip them). */
export const isOwnTemp = (name: string) => OUR_TEMP.test(name);
