import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harmonixSource } from '../../../src/sources/harmonix/index.js';
import { JournalFollower } from '../../../src/sources/harmonix/journal.js';
import { createTestContext } from '../../support/context.js';
import { writeFakeJournalctl } from './fake-journalctl.js';

test('journal: journalctl dies mid-follow and is restarted after the last cursor: no duplicates, no gaps', { timeout: 20000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-journal-'));
  try {
    const fake = writeFakeJournalctl(dir);
    const source = harmonixSource.create({
      ...harmonixSource.defaults,
      logs: [{ daemon: 'shadow-metrics', journalUnit: 'helix-shadow-metrics.service' }],
      journalctl: fake.command,
      journalRestartMs: 20,
    });
    const ctx = createTestContext({ hostNodeId: 'host:j' });
    await source.start!(ctx);
    const got = await ctx.waitForLogs(4);
    await source.stop!();
    assert.deepEqual(ctx.invalid, []);
    assert.deepEqual(
      got.map((r) => r.body),
      ['recovery step 1', 'recovery step 2', 'recovery step 3', 'recovery step 4'],
    );
    assert.equal(got[2]!.severityText, 'ERROR');
    assert.equal(got[0]!.attributes['systemd.unit'], 'helix-shadow-metrics.service');
    assert.equal(got[0]!.resource['hmx.actor.id'], 'hmx:shadow-metrics');
    const runs = readFileSync(fake.argsLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    assert.deepEqual(runs[0], ['--follow', '--output=json', '--no-pager', '--unit=helix-shadow-metrics.service', '--lines=0']);
    assert.equal(runs[1]!.at(-1), '--after-cursor=s=abc;i=2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('journal: a missing journalctl is reported and retried, never thrown', { timeout: 10000 }, async () => {
  const problems: string[] = [];
  const f = new JournalFollower('x.service', { command: '/nonexistent/journalctl', restartMs: 10 });
  await new Promise<void>((resolve) =>
    f.start(
      () => {},
      (p) => {
        problems.push(p);
        if (problems.length === 2) resolve();
      },
    ),
  );
  f.stop();
  assert.match(problems[0]!, /journalctl unavailable: ENOENT/);
});
