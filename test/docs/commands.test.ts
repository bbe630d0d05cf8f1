// The commands README.md and docs/ show work as written from the repository root: every `hmx-collector <command>`
// runs (as `npx hmx-collector <command> --help`) and has every flag the page shows; every `npm run <script>` exists.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { codeSnippets, repoRoot, userDocs, type Snippet } from './markdown.js';

const run = promisify(execFile);
const snippets = userDocs().flatMap(codeSnippets);
const where = (s: Snippet) => `${s.path}:${s.line}: ${s.text}`;

interface Shown {
  snippet: Snippet;
  command: string;
  flags: string[];
}

/** Snippets that start with the CLI (optionally `npx` or a shell prompt), e.g. `hmx-collector replay --from T`. */
function cliCommands(): Shown[] {
  const out: Shown[] = [];
  for (const snippet of snippets) {
    const m = /^(?:\$\s+)?(?:npx\s+)?hmx-collector\s+([a-z][a-z-]*)(.*)$/.exec(snippet.text);
    if (!m) continue;
    const rest = m[2]!;
    const flags = [...rest.matchAll(/(?:^|[\s[|])(--?[a-zA-Z][a-zA-Z-]*)/g)].map((f) => f[1]!);
    out.push({ snippet, command: m[1]!, flags });
  }
  return out;
}

test('every hmx-collector command shown in README.md and docs/ runs with --help from the repository root, with the flags shown', async () => {
  const shown = cliCommands();
  const commands = [...new Set(shown.map((s) => s.command))].sort();
  assert.deepEqual(commands.filter((c) => ['run', 'demo', 'verify', 'replay'].includes(c)), ['demo', 'replay', 'run', 'verify'], 'the pages show the four commands');
  const help = new Map<string, string>();
  for (const command of commands) {
    // Exactly as a user types it; a bin that npm did not link would send npx to the registry and fail.
    const { stdout } = await run('npx', ['hmx-collector', command, '--help'], { cwd: repoRoot, timeout: 120_000 }).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`npx hmx-collector ${command} --help failed (shown at ${shown.filter((s) => s.command === command).map((s) => where(s.snippet)).join('; ')}): ${err.stderr ?? err.message}`);
    });
    assert.match(stdout, new RegExp(`^Usage: hmx-collector ${command}\\b`, 'm'), `${command}: usage line`);
    help.set(command, stdout);
  }
  const missing: string[] = [];
  for (const s of shown) {
    for (const flag of s.flags) {
      // A flag is listed in the help as "-c, --config <file>" or "--json"; "--help" is commander's own.
      if (!new RegExp(`(^|[\\s,])${flag.replace(/-/g, '\\-')}(?![a-zA-Z-])`, 'm').test(help.get(s.command)!)) missing.push(`${flag} (${where(s.snippet)})`);
    }
  }
  assert.deepEqual(missing, [], 'flags shown in the docs that the CLI does not have');
});

test('every `npm run <script>` shown in README.md and docs/ exists in the root or the panel package', () => {
  const scripts = (dir: string) => Object.keys((JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { scripts?: object }).scripts ?? {});
  const known = new Set([...scripts('.'), ...scripts('grafana-plugin')]);
  const shown = snippets.flatMap((s) => [...s.text.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => ({ s, script: m[1]! })));
  assert.ok(shown.length >= 5, 'the pages show npm scripts');
  assert.deepEqual(shown.filter(({ script }) => !known.has(script)).map(({ s, script }) => `${script} (${where(s)})`), []);
});
