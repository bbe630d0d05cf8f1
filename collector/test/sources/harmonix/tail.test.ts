import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogTailer, type TailLine } from '../../../src/sources/harmonix/tail.js';
import { harmonixSource } from '../../../src/sources/harmonix/index.js';
import { toLogRecord } from '../../../src/sources/harmonix/logs.js';
import { createTestContext } from '../../support/context.js';

function tmp() {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-tail-'));
  return { dir, path: join(dir, 'recovery.log'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}\n`).join('');

test('tail: rotation (rename + new file), late writes to the rotated file, truncation and partial lines: no duplicates, no gaps', async () => {
  const t = tmp();
  try {
    writeFileSync(t.path, 'old 1\nold 2\n');
    const tailer = new LogTailer(t.path, true);
    const got: TailLine[] = [];
    got.push(...(await tailer.poll())); // positions at the end: the old lines are not re-read
    appendFileSync(t.path, lines(0, 5));
    appendFileSync(t.path, 'line 5 is half');
    got.push(...(await tailer.poll()));
    appendFileSync(t.path, ' written\n');
    appendFileSync(t.path, lines(6, 10));
    // rotate: rename, the writer still appends to the old inode, then a new file appears
    renameSync(t.path, `${t.path}.1`);
    appendFileSync(`${t.path}.1`, lines(10, 12));
    got.push(...(await tailer.poll()));
    writeFileSync(t.path, lines(12, 15));
    appendFileSync(`${t.path}.1`, lines(15, 16)); // a last straggler before the writer reopens
    got.push(...(await tailer.poll()));
    appendFileSync(t.path, lines(16, 20));
    got.push(...(await tailer.poll()));
    // copy-truncate style: truncate to zero and write fewer bytes than before
    truncateSync(t.path, 0);
    appendFileSync(t.path, lines(20, 22));
    got.push(...(await tailer.poll()));
    // truncate and quickly write MORE than was there before (size alone cannot tell)
    truncateSync(t.path, 0);
    appendFileSync(t.path, `rewritten ${'x'.repeat(80)}\n${lines(22, 30)}`);
    got.push(...(await tailer.poll()));
    got.push(...(await tailer.poll()));
    await tailer.close();

    const texts = got.map((l) => l.text);
    const expected = [
      ...Array.from({ length: 5 }, (_, i) => `line ${i}`),
      'line 5 is half written',
      ...Array.from({ length: 30 - 6 }, (_, i) => `line ${6 + i}`),
    ];
    const numbered = texts.filter((x) => !x.startsWith('rewritten'));
    assert.deepEqual([...numbered].sort(), [...expected].sort(), 'every line exactly once');
    assert.equal(texts.filter((x) => x.startsWith('rewritten')).length, 1);
    assert.equal(new Set(got.map((l) => `${l.ino}:${l.offset}:${l.text}`)).size, got.length);
    assert.ok(!texts.includes('old 1'));
  } finally {
    t.cleanup();
  }
});

test('tail: a file that does not exist yet is picked up from its start when it appears', async () => {
  const t = tmp();
  try {
    const tailer = new LogTailer(t.path, true);
    assert.deepEqual(await tailer.poll(), []);
    writeFileSync(t.path, 'first\n');
    // the file appeared after we started: it is new, so read from its beginning
    assert.deepEqual(
      (await tailer.poll()).map((l) => l.text),
      ['first'],
    );
    await tailer.close();
  } finally {
    t.cleanup();
  }
});

test('log records: journald JSON, JSON lines and plain text get time, severity and the daemon as resource', () => {
  const origin = { daemon: 'shadow-metrics', nodeId: 'host:a', path: '/var/log/helix/shadow.log' };
  const j = toLogRecord(
    JSON.stringify({ MESSAGE: 'Started helix', PRIORITY: '3', __REALTIME_TIMESTAMP: '1762891317000000', _SYSTEMD_UNIT: 'helix-shadow-metrics.service' }),
    origin,
    '2026-01-01T00:00:00.000Z',
  );
  assert.equal(j.body, 'Started helix');
  assert.equal(j.severityText, 'ERROR');
  assert.equal(j.time, '2025-11-11T20:01:57.000Z');
  assert.equal(j.attributes['systemd.unit'], 'helix-shadow-metrics.service');
  assert.deepEqual(j.resource, { 'service.name': 'shadow-metrics', 'hmx.actor.id': 'hmx:shadow-metrics', 'hmx.node.id': 'host:a' });
  const p = toLogRecord('2025-11-11 20:01:57 WARNING auto-heal skipped', origin, '2026-01-01T00:00:00.000Z');
  assert.equal(p.severityText, 'WARN');
  assert.equal(p.time, '2025-11-11T20:01:57.000Z');
  const plain = toLogRecord('no time here', origin, '2026-01-01T00:00:00.000Z');
  assert.equal(plain.time, '2026-01-01T00:00:00.000Z');
  assert.equal(plain.severityText, 'INFO');
});

test('harmonix source tails configured logs into log records of its frames', { timeout: 10000 }, async () => {
  const t = tmp();
  try {
    writeFileSync(t.path, 'before start\n');
    const source = harmonixSource.create({ ...harmonixSource.defaults, logs: [{ daemon: 'shadow-metrics', path: t.path }], logPollMs: 50 });
    const ctx = createTestContext({ hostNodeId: 'host:h' });
    await source.start!(ctx);
    appendFileSync(t.path, 'ERROR recovery failed\n');
    const got = await ctx.waitForLogs(1);
    await source.stop!();
    assert.deepEqual(ctx.invalid, [], 'every log record passes the pipeline check');
    assert.deepEqual(
      got.map((r) => [r.body, r.severityText, r.resource['hmx.node.id']]),
      [['ERROR recovery failed', 'ERROR', 'host:h']],
    );
  } finally {
    t.cleanup();
  }
});
