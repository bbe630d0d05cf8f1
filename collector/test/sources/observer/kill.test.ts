// Crash safety: SIGKILL the real observer process at many random points, restart it, and compare the final
// world files byte for byte with an uninterrupted run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { DEFAULT_OPTIONS, ObserverRuntime } from '../../../src/sources/observer/runtime.js';
import { generateEvents } from './generate.js';
import { layout, readWorld } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../../src/sources/observer/cli.ts', import.meta.url));
const KILLS = 9;

/** Run the CLI; kill it after `killAfterCommits` commits plus a random few ms (undefined = let it finish). */
function runCli(dirs: { eventsDir: string; stateDir: string; worldDir: string }, killAfterCommits?: number) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      '--events',
      dirs.eventsDir,
      '--state',
      dirs.stateDir,
      '--world',
      dirs.worldDir,
      '--chunk-bytes',
      '16384',
      '--commit-bytes',
      '32768',
      '--progress',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let commits = 0;
  let stderr = '';
  let armed = false;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    commits += (d.match(/"committed"/g) ?? []).length;
    if (killAfterCommits !== undefined && !armed && commits >= killAfterCommits) {
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 12));
    }
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

test('SIGKILL at random points + restart gives the same world as an uninterrupted run', { timeout: 240_000 }, async () => {
  const l = layout();
  try {
    generateEvents(l.eventsDir, { events: 15000, files: 6, malformed: 0.002, seed: 11 });
    const reference = { eventsDir: l.eventsDir, stateDir: join(l.root, 'ref-state'), worldDir: join(l.root, 'ref-world') };
    const rt = new ObserverRuntime(reference, { ...DEFAULT_OPTIONS, chunkBytes: 16384, commitBytes: 32768 });
    await rt.open();
    await rt.catchUp();
    const expected = readWorld(reference.worldDir);

    // Kill until KILLS runs died mid-way. On a fast machine a run may finish before its kill lands: then start
    // over from nothing (no checkpoint, no world), which must converge to the same world too.
    let killed = 0;
    let completed = 0;
    for (let runs = 0; killed < KILLS && runs < 40; runs++) {
      const r = await runCli(l, 1 + Math.floor(Math.random() * 4));
      if (r.signal === 'SIGKILL') {
        killed++;
        continue;
      }
      assert.equal(r.code, 0, r.stderr);
      completed++;
      rmSync(l.stateDir, { recursive: true, force: true });
      rmSync(l.worldDir, { recursive: true, force: true });
    }
    assert.equal(killed, KILLS, `only ${killed} runs were killed mid-way (${completed} completed first)`);
    const last = await runCli(l); // resumes from the state the last kill left
    assert.equal(last.code, 0, last.stderr);
    const actual = readWorld(l.worldDir);
    for (const [file, text] of Object.entries(expected)) assert.equal(actual[file], text, `${file} differs after ${killed} kills`);
  } finally {
    l.cleanup();
  }
});
