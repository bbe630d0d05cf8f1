// Never half-written: write a temp file next to the target, fsync it, rename over the target, fsync the directory.
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../../core/fsync-dir.js';

export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
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

/** Remove temp files a killed writer left behind (they were never renamed, so nothing refers to them). */
export function removeStaleTemps(dir: string): void {
  for (const name of readdirSync(dir)) if (/\.tmp-\d+$/.test(name)) rmSync(join(dir, name), { force: true });
}
