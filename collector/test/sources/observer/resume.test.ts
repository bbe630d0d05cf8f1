import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_FILE } from '../../../src/sources/observer/checkpoint.js';
import { DEFAULT_OPTIONS, ObserverRuntime, rebuildWorld } from '../../../src/sources/observer/runtime.js';
import { generateEvents } from './generate.js';
import { DOC_EXAMPLE, layout, readJson, readWorld, runObserver, writeEvents, type Layout } from './fixtures.js';

const small = { ...DEFAULT_OPTIONS, chunkBytes: 2048, commitBytes: 4096 };

const runOnce = (l: Layout) => runObserver(l, small);

test('resume from the checkpoint: new files and appended lines are read once; the world equals a full rebuild', async () => {
  const l = layout();
  try {
    generateEvents(l.eventsDir, { events: 3000, files: 3, malformed: 0.01, seed: 7 });
    const first = await runOnce(l);
    assert.equal(first.position.file, 'events-00002.jsonl');
    // more events: a new file and lines appended to the last one
    appendFileSync(join(l.eventsDir, 'events-00002.jsonl'), `${JSON.stringify(DOC_EXAMPLE[0])}\n`);
    writeEvents(l.eventsDir, 'events-00003.jsonl', DOC_EXAMPLE.slice(1));
    await runOnce(l);
    const { files } = await rebuildWorld(l.eventsDir, l.repoDir);
    assert.deepEqual(readWorld(l.worldDir), files);
    const summary = readJson(l.worldDir, 'runtime-summary.json');
    assert.equal(summary.events.applied + summary.events.ignored + summary.events.malformed_lines, 3003);
  } finally {
    l.cleanup();
  }
});

test('deleting the checkpoint rebuilds an identical world', async () => {
  const l = layout();
  try {
    generateEvents(l.eventsDir, { events: 2000, files: 2, seed: 3 });
    await runOnce(l);
    const before = readWorld(l.worldDir);
    rmSync(join(l.stateDir, CHECKPOINT_FILE));
    rmSync(l.worldDir, { recursive: true });
    await runOnce(l);
    assert.deepEqual(readWorld(l.worldDir), before);
  } finally {
    l.cleanup();
  }
});

test('a line still being written (no newline yet) waits; it is read once complete', async () => {
  const l = layout();
  try {
    const line = JSON.stringify(DOC_EXAMPLE[0]);
    appendFileSync(join(l.eventsDir, '0001.jsonl'), line.slice(0, 20));
    const rt = await runOnce(l);
    assert.equal(rt.position.offset, 0);
    appendFileSync(join(l.eventsDir, '0001.jsonl'), `${line.slice(20)}\n`);
    await rt.catchUp();
    assert.equal(readJson(l.worldDir, 'runtime-summary.json').events.malformed_lines, 0);
    assert.equal(readJson(l.worldDir, 'runtime-summary.json').incidents.active, 1);
  } finally {
    l.cleanup();
  }
});

test('a corrupt checkpoint is reported and the world rebuilt from the start; only our own stale temp files are removed', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0001.jsonl', DOC_EXAMPLE);
    await runOnce(l);
    const good = readWorld(l.worldDir);
    appendFileSync(join(l.stateDir, CHECKPOINT_FILE), 'garbage');
    appendFileSync(join(l.worldDir, 'nodes.json.hmx-observer.tmp-12345'), '{');
    // Another tool's temp file in the shared state directory (its stage marker being written) is not ours.
    writeFileSync(join(l.stateDir, 'deploy-7.stage.tmp-4242'), '{"stage":"build"}');
    const problems: unknown[] = [];
    const rt = new ObserverRuntime(
      { eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir },
      { ...small, logger: { warn: (o: unknown) => problems.push(o), info: () => {} } as never },
    );
    await rt.open();
    await rt.catchUp();
    assert.equal(problems.length, 1);
    assert.deepEqual(readWorld(l.worldDir), good);
    assert.equal(existsSync(join(l.worldDir, 'nodes.json.hmx-observer.tmp-12345')), false);
    assert.equal(readFileSync(join(l.stateDir, 'deploy-7.stage.tmp-4242'), 'utf8'), '{"stage":"build"}', "another tool's file is left alone");
    assert.deepEqual(readdirSync(l.worldDir).sort(), ['deployments.json', 'incidents.json', 'nodes.json', 'runtime-summary.json', 'services.json']);
  } finally {
    l.cleanup();
  }
});

test('an invalid inventory is reported with file and field, the last good one is kept, and events still flow', async () => {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const l = layout();
  try {
    mkdirSync(join(l.repoDir, 'inventory'), { recursive: true });
    writeFileSync(join(l.repoDir, 'inventory', 'topology.yaml'), 'nodes:\n  - name: saturn\n    roles: [broker]\n');
    const problems: { problem: string }[] = [];
    const rt = new ObserverRuntime(
      { eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir, repoDir: l.repoDir },
      { ...small, logger: { warn: (o: { problem: string }) => problems.push(o), info: () => {} } as never },
    );
    await rt.open();
    writeFileSync(join(l.repoDir, 'inventory', 'topology.yaml'), 'nodes:\n  - name: saturn\n    colour: red\n');
    const problem = await rt.reloadInventory();
    assert.match(String(problem?.message), /topology\.yaml: \/nodes\/0\/colour: unknown field/);
    assert.equal(problems.length, 1);
    writeEvents(l.eventsDir, '0001.jsonl', DOC_EXAMPLE);
    await rt.catchUp();
    assert.deepEqual(readJson(l.worldDir, 'nodes.json').saturn.roles, ['broker']);
    assert.equal(readJson(l.worldDir, 'runtime-summary.json').incidents.resolved, 1);
  } finally {
    l.cleanup();
  }
});

test('an abort stops between reads: what was read is applied once and committed, a resume reads the rest', async () => {
  const l = layout();
  try {
    generateEvents(l.eventsDir, { events: 3000, files: 2, seed: 11 });
    const paths = { eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir, repoDir: l.repoDir };
    const before = new AbortController();
    before.abort();
    const idle = new ObserverRuntime(paths, small);
    await idle.open();
    assert.equal(await idle.catchUp(before.signal), 0, 'aborted before the first read: nothing is read');
    const stop = new AbortController();
    const first = new ObserverRuntime(paths, { ...small, onCommit: () => stop.abort() });
    await first.open();
    const read = await first.catchUp(stop.signal);
    assert.ok(read > 0 && read < 3000, `stopped part-way (${read} lines)`);
    assert.equal(first.world.counters.applied + first.world.counters.ignored + first.world.counters.malformed, read, 'each line read applied once');
    await runOnce(l);
    const { files } = await rebuildWorld(l.eventsDir, l.repoDir);
    assert.deepEqual(readWorld(l.worldDir), files);
  } finally {
    l.cleanup();
  }
});
