// Reads the user-facing Markdown (README.md and docs/**) for the docs tests: files, code spans and blocks, links.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface MarkdownFile {
  /** Path relative to the repository root. */
  path: string;
  text: string;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** README.md and every Markdown file under docs/. */
export function userDocs(): MarkdownFile[] {
  return [join(repoRoot, 'README.md'), ...walk(join(repoRoot, 'docs'), [])].map((p) => ({ path: relative(repoRoot, p), text: readFileSync(p, 'utf8') }));
}

export interface Snippet {
  path: string;
  line: number;
  text: string;
}

/** Calls `visit` for every line with whether it is inside a fenced block (fence lines themselves are skipped). */
function eachLine(file: MarkdownFile, visit: (raw: string, line: number, fenced: boolean) => void): void {
  let fenced = false;
  file.text.split('\n').forEach((raw, i) => {
    if (/^\s*```/.test(raw)) fenced = !fenced;
    else visit(raw, i + 1, fenced);
  });
}

/** The code a page shows: each line of a fenced block and each inline code span, with its line number. */
export function codeSnippets(file: MarkdownFile): Snippet[] {
  const out: Snippet[] = [];
  eachLine(file, (raw, line, fenced) => {
    if (fenced) out.push({ path: file.path, line, text: raw.trim() });
    // Inline spans; a table cell escapes its pipes as \|.
    else for (const m of raw.matchAll(/`([^`]+)`/g)) out.push({ path: file.path, line, text: m[1]!.replace(/\\\|/g, '|') });
  });
  return out;
}

export interface Link {
  path: string;
  line: number;
  target: string;
}

/** Inline Markdown links `[text](target)` outside code, with their line numbers. */
export function links(file: MarkdownFile): Link[] {
  const out: Link[] = [];
  eachLine(file, (raw, line, fenced) => {
    if (fenced) return;
    const prose = raw.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ path: file.path, line, target: m[1]! });
  });
  return out;
}
