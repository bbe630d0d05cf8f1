#!/usr/bin/env -S node --max-semi-space-size=4 --no-concurrent-recompilation
// The `hmx-collector` command. npm links this file when it installs, before dist/ exists on a fresh clone, so it
// builds the collector once if needed and then runs the bundled CLI (collector/src/cli/main.ts, bundled by
// collector/scripts/bundle.mjs).
// The V8 flags, chosen by measurement (docs/performance.md): a small young generation suits a mostly idle agent (a
// smaller one than 4 MB promotes more of each scrape, and its peak grows past this one's within minutes), and
// optimizing on the main thread keeps the compiler's queued jobs from raising the startup peak.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/bundle/hmx-collector.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('hmx-collector: building the collector first (a fresh clone)…\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'inherit', 'inherit'] });
}
await import(main.href);
