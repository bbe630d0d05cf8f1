// Every relative link in README.md and docs/ resolves to a file inside this repository, and nothing user-facing
// points outside it (a user of the repository has nothing beside it).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { links, repoRoot, userDocs } from './markdown.js';

test('every relative link in README.md and docs/ resolves to a file inside the repository', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of userDocs()) {
    for (const link of links(file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.target) || link.target.startsWith('#')) continue; // URLs and in-page anchors
      const target = decodeURI(link.target.replace(/#.*$/, ''));
      const abs = resolve(dirname(resolve(repoRoot, file.path)), target);
      checked++;
      if (!abs.startsWith(repoRoot + sep) && abs !== repoRoot) broken.push(`${file.path}:${link.line}: ${link.target} leaves the repository`);
      else if (!existsSync(abs)) broken.push(`${file.path}:${link.line}: ${link.target} does not exist`);
    }
  }
  assert.ok(checked > 30, `the checker found the links (${checked})`);
  assert.deepEqual(broken, []);
});

test('no tracked file points at material outside the repository (../shared)', () => {
  // git grep exits 1 when nothing matches.
  let hits = '';
  try {
    hits = execFileSync('git', ['grep', '-n', '-I', '-E', String.raw`\.\./shared/|/work/shared`, '--', '.', ':!test/docs/links.test.ts'], { cwd: repoRoot, encoding: 'utf8' });
  } catch (err) {
    if ((err as { status?: number }).status !== 1) throw err;
  }
  assert.equal(hits, '', 'references outside the repository');
});
