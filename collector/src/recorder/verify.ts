// Checks an archive: the manifest's own checksum, every bundle against its entry, and files nobody lists.
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_NAME } from './bundle.js';
import { TMP_SUFFIX } from './files.js';
import { JOURNAL_NAME } from './journal.js';
import { LOCK_NAME } from './lock.js';
import { MANIFEST_NAME, readManifest } from './manifest.js';
import { describeEntry, inspectBundle } from './read.js';
import { CURSOR_NAME } from './shipper.js';

export type ProblemKind = 'manifest' | 'missing' | 'corrupt' | 'unsafe' | 'extra';

export interface Problem {
  kind: ProblemKind;
  file: string;
  detail: string;
}

export interface VerifyReport {
  dir: string;
  ok: boolean;
  bundles: number;
  records: number;
  bytes: number;
  problems: Problem[];
  /** Not problems: journals of the running collector, temp files of an interrupted write (removed on next start). */
  notes: string[];
}

const KIND: Record<string, ProblemKind> = { unsafe_name: 'unsafe', symlink: 'unsafe', not_a_file: 'unsafe', too_large: 'unsafe', missing: 'missing' };

export function verifyArchive(dir: string): VerifyReport {
  const report: VerifyReport = { dir, ok: false, bundles: 0, records: 0, bytes: 0, problems: [], notes: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    report.problems.push({ kind: 'missing', file: dir, detail: 'archive directory does not exist' });
    return report;
  }
  const files = readdirSync(dir);
  const manifest = readManifest(dir);
  const listed = new Set<string>();
  if (!manifest.ok) {
    report.problems.push({ kind: 'manifest', file: MANIFEST_NAME, detail: manifest.problem });
  } else {
    for (const entry of manifest.body.bundles) {
      const name = typeof entry?.file === 'string' ? entry.file : '';
      if (listed.has(name)) {
        report.problems.push({ kind: 'corrupt', file: name, detail: `${describeEntry(entry)} is listed twice` });
        continue;
      }
      listed.add(name);
      const loaded = inspectBundle(dir, entry);
      if (!loaded.ok) {
        report.problems.push({ kind: KIND[loaded.problem] ?? 'corrupt', file: name || '(none)', detail: loaded.detail });
        continue;
      }
      report.bundles++;
      report.records += loaded.records;
      report.bytes += loaded.bytes;
    }
  }
  for (const f of files) {
    if (f === MANIFEST_NAME || f === CURSOR_NAME || f === LOCK_NAME || listed.has(f)) continue;
    if (JOURNAL_NAME.test(f)) report.notes.push(`${f}: journal of the open bundle (sealed by the collector)`);
    else if (f.endsWith(TMP_SUFFIX)) report.notes.push(`${f}: temporary file of an interrupted write (removed on next start)`);
    else if (!manifest.ok && BUNDLE_NAME.test(f)) report.notes.push(`${f}: bundle not verifiable without a valid manifest`);
    else
      report.problems.push({
        kind: 'extra',
        file: f,
        detail: `${f}: not listed in the manifest${lstatSync(join(dir, f)).isSymbolicLink() ? ' (a symbolic link)' : ''}`,
      });
  }
  report.ok = report.problems.length === 0;
  return report;
}
