// One collector per archive: a lock file with the owner's pid. A lock whose process is gone (SIGKILL, reboot) is taken over.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FILE_MODE, readRegularFile, READ_LIMITS, removeQuietly } from './files.js';

export const LOCK_NAME = 'collector.lock';
const openHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the archive lock; returns its release. Throws naming the other process when the archive is in use. */
export function lockArchive(dir: string): () => void {
  const key = resolve(dir);
  if (openHere.has(key)) throw new Error(`archive ${dir} is already open in this process`);
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', FILE_MODE);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      openHere.add(key);
      return () => {
        openHere.delete(key);
        removeQuietly(path);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let pid = Number.NaN;
    try {
      pid = Number(readRegularFile(dir, LOCK_NAME, READ_LIMITS.smallFileBytes).toString('utf8').trim());
    } catch {
      // Removed meanwhile (try again), or not a small regular file (taken over below).
    }
    // Our own pid in a stale lock happens in containers (pid 1 every run): it cannot be a live other process.
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new Error(`archive ${dir} is in use by process ${pid} (remove ${LOCK_NAME} if that process is not a collector)`);
    }
    removeQuietly(path);
  }
  throw new Error(`cannot lock archive ${dir}`);
}
