// Makes renames inside a directory durable. Shared by every writer that replaces files atomically.
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** fsyncDir off the event loop (libuv's thread pool): for writers on the ingest path, where a sync fsync stalls requests. */
export async function fsyncDirAsync(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // as above: the rename is still atomic
  } finally {
    // Never rejects: callers fire it and forget it (a new journal's name), so a rejection would be unhandled.
    await handle.close().catch(() => undefined);
  }
}
