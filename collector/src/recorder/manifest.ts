// The archive manifest: bundles with time range, counts, size and SHA-256; the body is checksummed inside the file.
import { createHash } from 'node:crypto';
import { BUNDLE_NAME } from './bundle.js';
import { atomicWrite, atomicWriteAsync, readRegularFile, READ_LIMITS, UnsafeFileError } from './files.js';

export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 'hmx-flight-recorder/1';

export interface BundleCounts {
  lifecycle: number;
  flow: number;
  keyframe: number;
}

export interface BundleEntry {
  /** Plain file name inside the archive directory. */
  file: string;
  /** Earliest and latest record time (source time, RFC3339). */
  from: string;
  to: string;
  /** Archive positions of the first and last record (contiguous). */
  firstN: number;
  lastN: number;
  counts: BundleCounts;
  bytes: number;
  sha256: string;
  /**
   * When the bundle was written (the archive's clock, RFC3339). Retention counts from here, not from the records'
   * source time, so a late backlog is kept as long as anything else. Absent in archives written before it existed
   * (retention then falls back to `to`).
   */
  sealed?: string;
}

export interface ManifestBody {
  format: typeof MANIFEST_FORMAT;
  /** Position the next archived record gets. */
  nextN: number;
  bundles: BundleEntry[];
}

interface ManifestFile {
  sha256: string;
  body: ManifestBody;
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export function emptyManifest(): ManifestBody {
  return { format: MANIFEST_FORMAT, nextN: 1, bundles: [] };
}

function manifestText(body: ManifestBody): string {
  const canonical = JSON.stringify(body);
  return `{"sha256":"${sha256(canonical)}","body":${canonical}}\n`;
}

/** At start-up (adoption, rebuild). */
export function writeManifest(dir: string, body: ManifestBody): void {
  atomicWrite(dir, MANIFEST_NAME, manifestText(body));
}

/** While running: off the event loop. */
export function writeManifestAsync(dir: string, body: ManifestBody): Promise<void> {
  return atomicWriteAsync(dir, MANIFEST_NAME, manifestText(body));
}

const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

function isEntry(b: unknown): b is BundleEntry {
  if (typeof b !== 'object' || b === null) return false;
  const e = b as Partial<BundleEntry>;
  return (
    typeof e.file === 'string' &&
    BUNDLE_NAME.test(e.file) &&
    count(e.firstN) &&
    count(e.lastN) &&
    e.lastN! >= e.firstN! &&
    count(e.bytes) &&
    typeof e.sha256 === 'string' &&
    typeof e.from === 'string' &&
    typeof e.to === 'string' &&
    typeof e.counts === 'object' &&
    e.counts !== null
  );
}

/**
 * Why a (checksum-consistent) manifest cannot be adopted by a running archive, or undefined. A manifest is still
 * outside input: retention deletes what it lists, so every entry must name a bundle file of this archive (no path,
 * no "..") with sane positions. verify and replay check entry by entry instead (and skip the bad ones on request).
 */
export function unadoptable(body: ManifestBody): string | undefined {
  const bad = body.bundles.findIndex((b) => !isEntry(b));
  return bad < 0
    ? undefined
    : `manifest.json entry ${bad} is not a bundle of this archive (file ${JSON.stringify((body.bundles[bad] as { file?: unknown })?.file ?? null).slice(0, 120)})`;
}

export type ManifestRead = { ok: true; body: ManifestBody } | { ok: false; missing: boolean; problem: string };

/** Reads and checks the manifest: its embedded SHA-256 must match the canonical JSON of its body. */
export function readManifest(dir: string): ManifestRead {
  let text: string;
  try {
    text = readRegularFile(dir, MANIFEST_NAME, READ_LIMITS.manifestBytes).toString('utf8');
  } catch (err) {
    const missing = err instanceof UnsafeFileError && err.problem === 'missing';
    return { ok: false, missing, problem: missing ? 'manifest.json is missing' : `manifest.json is unreadable (${(err as Error).message})` };
  }
  let doc: ManifestFile;
  try {
    doc = JSON.parse(text) as ManifestFile;
  } catch {
    return { ok: false, missing: false, problem: 'manifest.json is not valid JSON' };
  }
  if (typeof doc !== 'object' || doc === null || typeof doc.sha256 !== 'string' || typeof doc.body !== 'object' || doc.body === null) {
    return { ok: false, missing: false, problem: 'manifest.json lacks its sha256/body fields' };
  }
  if (sha256(JSON.stringify(doc.body)) !== doc.sha256) return { ok: false, missing: false, problem: 'manifest.json checksum mismatch (tampered or corrupt)' };
  const body = doc.body;
  if (body.format !== MANIFEST_FORMAT || !Array.isArray(body.bundles) || !Number.isSafeInteger(body.nextN)) {
    return { ok: false, missing: false, problem: `manifest.json is not a ${MANIFEST_FORMAT} manifest` };
  }
  return { ok: true, body };
}
