// Retention by age and by the size budget: oldest first, the budget never exceeded, unshipped losses counted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import type { ArchivedRecord } from '../../src/recorder/bundle.js';
import { hoursBefore, openArchive, randomStream, tempDir } from './helpers.js';

const dirBytes = (dir: string) => readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

const DAY = 86_400_000;
const utcStamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

function noisyAudit(seq: number, startMs = hoursBefore(2)): ArchivedRecord {
  // Incompressible text, so bundles are big and the budget bites quickly.
  return {
    v: 1,
    type: 'audit',
    time: new Date(startMs + seq * 1000).toISOString(),
    emitter: 'noise',
    seq,
    subject: 'mesh:n0',
    message: randomBytes(400).toString('hex'),
    severity: 'info',
  };
}

test('size budget: the archive directory never exceeds maxBytes; the oldest bundles go first; unshipped losses are counted', async (t) => {
  const dir = await tempDir(t);
  const maxBytes = 1024 * 1024;
  const logged: { level: number; msg: string; records?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
  const archive = openArchive(dir, { maxBytes, bundleMaxRecords: 40, logger });
  archive.ackedN = () => 1500; // a shipper that acknowledged the first 1500 records
  let dropped = 0;
  archive.onDropped = (count) => (dropped += count);
  let peak = 0;
  const start = hoursBefore(2);
  for (let seq = 1; seq <= 4000; seq++) {
    archive.append(noisyAudit(seq, start));
    if (seq % 40 === 0) {
      await archive.cut();
      peak = Math.max(peak, dirBytes(dir));
    }
  }
  await archive.close();
  peak = Math.max(peak, dirBytes(dir));
  assert.ok(peak <= maxBytes, `archive reached ${peak} bytes, budget ${maxBytes}`);
  assert.ok(peak > maxBytes / 2, `the budget is used (${peak})`);
  const bundles = archive.bundles;
  assert.ok(bundles.length > 3 && bundles.length < 100);
  assert.equal(bundles.at(-1)!.lastN, 4000, 'the newest bundle is kept');
  for (let i = 1; i < bundles.length; i++)
    assert.equal(bundles[i]!.firstN, bundles[i - 1]!.lastN + 1, 'what remains is contiguous: only the oldest were evicted');
  const evictedUnshipped = bundles[0]!.firstN - 1 - 1500;
  assert.equal(dropped, evictedUnshipped, 'dropped = evicted records above the acknowledged position');
  const loud = logged.filter((l) => l.level === 50 && /DROPPING/.test(l.msg));
  assert.ok(loud.length > 0, 'drops are logged at error level');
  assert.equal(
    loud.reduce((sum, l) => sum + (l.records ?? 0), 0),
    dropped,
  );
});

test('retention by age: bundles written longer ago than the retention are removed', async (t) => {
  const dir = await tempDir(t);
  let clock = Date.now();
  const archive = openArchive(dir, { retentionMs: 86_400_000, bundleMaxRecords: 1000, now: () => clock });
  const stream = randomStream(8, 60, hoursBefore(2, clock));
  for (const r of stream.slice(0, 30)) archive.append(r);
  await archive.cut();
  assert.equal(archive.bundles.length, 1);
  const oldFile = archive.bundles[0]!.file;
  clock += 86_400_000 - 3 * 3_600_000; // 21 h later: the bundle was written less than a day ago
  await archive.enforceRetention();
  assert.equal(archive.bundles.length, 1, 'kept within the retention');
  clock += 6 * 3_600_000;
  await archive.enforceRetention();
  assert.equal(archive.bundles.length, 0, 'evicted once older than the retention');
  assert.ok(!readdirSync(dir).includes(oldFile), 'the expired bundle file is deleted');
  for (const r of randomStream(9, 30, clock - 60_000)) archive.append(r);
  await archive.cut();
  assert.equal(archive.bundles.length, 1);
  assert.equal(archive.bundles[0]!.firstN, 31, 'positions continue after eviction');
  await archive.close();
});

test('retention counts from when a bundle is written: a late backlog older than the window is kept, and counted', async (t) => {
  // A node that was offline for 8 days flushes its backlog: source times are older than the 7-day retention.
  const dir = await tempDir(t);
  let clock = Date.now();
  const retentionMs = 7 * DAY;
  const archive = openArchive(dir, { retentionMs, bundleMaxRecords: 1000, now: () => clock });
  const backlog = randomStream(21, 50, clock - 8 * DAY);
  for (const r of backlog) archive.append(r);
  await archive.cut();
  assert.equal(archive.lateRecords, 50, 'every record older than the window is counted as late');
  await archive.enforceRetention();
  assert.equal(archive.bundles.length, 1, 'not pruned the moment it is archived');
  assert.equal(archive.bundles[0]!.lastN, 50);
  clock += retentionMs - 60_000;
  await archive.enforceRetention();
  assert.equal(archive.bundles.length, 1, 'kept for the whole retention after it was written');
  clock += 120_000;
  await archive.enforceRetention();
  assert.equal(archive.bundles.length, 0, 'evicted once the retention since it was written has passed');
  for (const r of randomStream(22, 10, clock - 60_000)) archive.append(r);
  assert.equal(archive.lateRecords, 50, 'records inside the window are not late');
  await archive.close();
});

test('rotation: a bundle never spans a UTC midnight (and is cut at the bundle interval)', async (t) => {
  const dir = await tempDir(t);
  const midnight = (Math.floor(Date.now() / DAY) + 1) * DAY;
  let clock = midnight - 2000;
  const archive = openArchive(dir, { bundleIntervalMs: 1000, bundleMaxRecords: 1_000_000, now: () => clock });
  const stream = randomStream(4, 10, clock);
  for (const r of stream.slice(0, 5)) archive.append(r);
  clock = midnight + 500; // past midnight (and, here, past the interval too)
  await new Promise((resolve) => setTimeout(resolve, 1200)); // the 1 s tick cuts
  for (const r of stream.slice(5)) archive.append(r);
  await archive.close();
  assert.equal(archive.bundles.length, 2);
  assert.ok(archive.bundles[0]!.file.startsWith(`b-${utcStamp(midnight - 2000)}-`), archive.bundles[0]!.file);
  assert.ok(archive.bundles[1]!.file.startsWith(`b-${utcStamp(midnight)}-`), archive.bundles[1]!.file);
});
