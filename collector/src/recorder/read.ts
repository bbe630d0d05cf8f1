// Reading one bundle back: the name must be safe, the file regular, size and SHA-256 as in the manifest, contents complete.
import { countBundleLines, decodeBundle, type ArchivedRecord } from './bundle.js';
import { isSafeName, readRegularFile, READ_LIMITS, UnsafeFileError } from './files.js';
import { sha256, type BundleEntry } from './manifest.js';

export type BundleProblem =
  'unsafe_name' | 'missing' | 'symlink' | 'not_a_file' | 'too_large' | 'size_mismatch' | 'checksum_mismatch' | 'undecodable' | 'count_mismatch';

export type LoadResult = { ok: true; records: ArchivedRecord[]; bytes: number } | { ok: false; problem: BundleProblem; detail: string };

export function describeEntry(entry: BundleEntry): string {
  return typeof entry?.file === 'string' ? JSON.stringify(entry.file).slice(0, 300) : '(entry without a file name)';
}

export type CheckResult = { ok: true; data: Buffer } | { ok: false; problem: BundleProblem; detail: string };

/** Checks a manifest entry against its file (name, type, size, SHA-256); never follows links or leaves the archive directory. */
export function checkBundle(dir: string, entry: BundleEntry): CheckResult {
  if (!isSafeName(entry.file))
    return {
      ok: false,
      problem: 'unsafe_name',
      detail: `${describeEntry(entry)} is not a plain file name inside the archive (absolute path, "..", separator or hidden name refused)`,
    };
  let data: Buffer;
  try {
    data = readRegularFile(dir, entry.file, READ_LIMITS.bundleBytes);
  } catch (err) {
    if (!(err instanceof UnsafeFileError)) throw err;
    return { ok: false, problem: err.problem, detail: err.problem === 'missing' ? `${entry.file}: listed in the manifest but missing` : err.message };
  }
  if (data.length !== entry.bytes)
    return { ok: false, problem: 'size_mismatch', detail: `${entry.file}: ${data.length} bytes, manifest says ${entry.bytes} (truncated or altered)` };
  if (sha256(data) !== entry.sha256) return { ok: false, problem: 'checksum_mismatch', detail: `${entry.file}: SHA-256 mismatch (corrupt or altered)` };
  return { ok: true, data };
}

/** checkBundle, then decodes the records and checks their count. */
export function loadBundle(dir: string, entry: BundleEntry): LoadResult {
  const checked = checkBundle(dir, entry);
  if (!checked.ok) return checked;
  const data = checked.data;
  let records: ArchivedRecord[];
  try {
    records = decodeBundle(entry.file, data);
  } catch (err) {
    return { ok: false, problem: 'undecodable', detail: `${entry.file}: cannot be decoded (${(err as Error).message})` };
  }
  if (records.length !== entry.lastN - entry.firstN + 1) {
    return { ok: false, problem: 'count_mismatch', detail: `${entry.file}: ${records.length} records, manifest says ${entry.lastN - entry.firstN + 1}` };
  }
  return { ok: true, records, bytes: data.length };
}

/** checkBundle, then decompresses and counts the records without parsing them (verify). */
export function inspectBundle(
  dir: string,
  entry: BundleEntry,
): { ok: true; records: number; bytes: number } | { ok: false; problem: BundleProblem; detail: string } {
  const checked = checkBundle(dir, entry);
  if (!checked.ok) return checked;
  let records: number;
  try {
    records = countBundleLines(entry.file, checked.data);
  } catch (err) {
    return { ok: false, problem: 'undecodable', detail: `${entry.file}: cannot be decompressed (${(err as Error).message})` };
  }
  if (records !== entry.lastN - entry.firstN + 1)
    return { ok: false, problem: 'count_mismatch', detail: `${entry.file}: ${records} records, manifest says ${entry.lastN - entry.firstN + 1}` };
  return { ok: true, records, bytes: checked.data.length };
}
