// Diagnostics that events reference, resolved against the logs directory (/opt/homelab/logs).
// A reference may be relative to that directory or an absolute path inside it; anything else is never touched.
import { lstatSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

export interface DiagnosticFile {
  ref: string;
  /** The resolved path inside the logs directory; null when the reference points outside it. */
  path: string | null;
  status: 'present' | 'missing' | 'not_a_regular_file' | 'outside_logs_dir';
  bytes: number | null;
}

export function resolveDiagnostic(logsDir: string, ref: string): DiagnosticFile {
  const root = resolve(logsDir);
  const path = resolve(root, ref);
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || ref.includes('\u0000'))
    return { ref, path: null, status: 'outside_logs_dir', bytes: null };
  try {
    const st = lstatSync(path); // a link is reported, never followed
    return st.isFile() ? { ref, path, status: 'present', bytes: st.size } : { ref, path, status: 'not_a_regular_file', bytes: null };
  } catch {
    return { ref, path, status: 'missing', bytes: null };
  }
}
