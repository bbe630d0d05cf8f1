// Deployment stage markers other tools write into the state directory (an input of the Observer Runtime):
// one JSON object per `*.json` file, `{correlation_id, stage, status, timestamp?}`. They are state, not events: read
// afresh on every pass and laid over the event-built stages when the world files are written, so a rebuild from
// the events gives the same world.
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, constants } from 'node:fs';
import { join } from 'node:path';
import { isOwnTemp } from './atomic.js';
import { CHECKPOINT_FILE } from './checkpoint.js';
import { parseIsoMs, utcIso } from './time.js';

export interface StageMarker {
  file: string;
  correlation_id: string;
  stage: string;
  status: string;
  /** UTC; the file's modification time when the marker carries none. */
  timestamp: string;
}

export interface MarkerScan {
  markers: StageMarker[];
  /** Marker files that could not be used, with the reason naming the field. */
  invalid: { file: string; reason: string }[];
  /** Files beyond MAX_MARKERS, not read. */
  skipped: number;
}

const MAX_MARKERS = 10000;
const MAX_BYTES = 64 * 1024;
const CORRELATION = /^[^\u0000-\u001f\u007f]{1,200}$/;
const WORD = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,199}$/;

/** Every marker in `dir` (regular files only, never through a link, each at most 64 KiB), sorted by name. */
export function readMarkers(dir: string): MarkerScan {
  const scan: MarkerScan = { markers: [], invalid: [], skipped: 0 };
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json') && n !== CHECKPOINT_FILE && !n.startsWith('.') && !isOwnTemp(n))
      .sort();
  } catch {
    return scan;
  }
  scan.skipped = Math.max(0, names.length - MAX_MARKERS);
  for (const file of names.slice(0, MAX_MARKERS)) {
    const result = readMarker(join(dir, file), file);
    if (typeof result === 'string') scan.invalid.push({ file, reason: result });
    else if (result) scan.markers.push(result);
  }
  return scan;
}

function readMarker(path: string, file: string): StageMarker | string | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    if (!lstatSync(path).isFile()) return 'not a regular file';
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return 'not a regular file';
      if (st.size > MAX_BYTES) return `larger than ${MAX_BYTES} bytes`;
      const buf = Buffer.alloc(st.size);
      readSync(fd, buf, 0, st.size, 0);
      text = buf.toString('utf8');
      mtimeMs = st.mtimeMs;
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    // Gone between listing and reading (a writer renamed it): not a problem, the next pass sees the new one.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  let m: unknown;
  try {
    m = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return '/: a JSON object';
  const { correlation_id: cid, stage, status, timestamp } = m as Record<string, unknown>;
  if (typeof cid !== 'string' || !CORRELATION.test(cid)) return '/correlation_id: text of 1-200 characters';
  if (typeof stage !== 'string' || !WORD.test(stage)) return '/stage: a stage name';
  if (typeof status !== 'string' || !WORD.test(status) || status.length > 40) return '/status: a status word';
  let ms = mtimeMs;
  if (timestamp !== undefined) {
    ms = typeof timestamp === 'string' ? parseIsoMs(timestamp) : NaN;
    if (Number.isNaN(ms)) return '/timestamp: an ISO 8601 date-time with a time zone';
  }
  return { file, correlation_id: cid, stage, status, timestamp: utcIso(Math.floor(ms)) };
}
