// Keyframe parts through the flight recorder: archived as records, shipped in bounded requests, replayed only when
// every part was read.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Keyframe, splitKeyframe } from '@harmonix/contract';
import type { ArchivedRecord } from '../../src/recorder/bundle.js';
import { readManifest } from '../../src/recorder/manifest.js';
import { replayArchive } from '../../src/recorder/replay.js';
import { Shipper } from '../../src/recorder/shipper.js';
import { silentLogger } from '../../src/core/logger.js';
import { pollUntil } from '../../../test/support/wait.js';
import { TopologyState } from '../../src/topology/state.js';
import { openArchive, randomStream, tempDir } from './helpers.js';

const ALL = { fromMs: 0, toMs: Date.parse('2100-01-01T00:00:00Z'), mode: { kind: 'backfill' } as const };
// The archive's clock is injected: records are an hour old for it, whatever today's date (retention is 7 days).
const BASE = Date.UTC(2030, 0, 1);
const archiveAt = (dir: string, bundleMaxRecords: number) => openArchive(dir, { bundleMaxRecords, now: () => BASE + 3_600_000 });

function partsOf(stream: readonly ArchivedRecord[], firstSeq: number, time: string): Keyframe[] {
  const state = new TopologyState();
  for (const r of stream) if (r.type !== 'keyframe') state.apply(r);
  const parts = splitKeyframe(state.keyframe('collector@rec/1-1', 0, time), firstSeq, 450);
  assert.ok(parts.length >= 4, `${parts.length} parts`);
  return parts;
}

test('replay sends a keyframe only with all its parts: one cut by a skipped corrupt bundle is reported, not sent', async (t) => {
  const dir = await tempDir(t);
  const head = randomStream(8, 20, BASE).filter((r) => r.type !== 'keyframe');
  const last = (rs: readonly ArchivedRecord[]) => rs[rs.length - 1]!.time;
  const a = partsOf(head, 1, last(head));
  const middle = randomStream(9, 60, Date.parse(last(head)) + 1000).filter((r) => r.type !== 'keyframe' && r.type !== 'flow');
  const b = partsOf([...head, ...middle], 1 + a.length, last(middle));
  const records: ArchivedRecord[] = [...head, ...a, ...middle, ...b];
  const archive = archiveAt(dir, 25);
  for (const r of records) archive.append(r);
  await archive.close();
  const manifest = readManifest(dir);
  assert.ok(manifest.ok);
  // Keyframe a straddles bundles 0 and 1 (positions 20+); damage bundle 1.
  assert.ok(head.length < 25 && head.length + a.length > 25, `keyframe a at ${head.length}..${head.length + a.length - 1}`);
  const bIndex = records.indexOf(b[0]!);
  assert.ok(bIndex >= 50, 'keyframe b lies after the damaged bundle');
  const damaged = join(dir, manifest.body.bundles[1]!.file);
  const data = readFileSync(damaged);
  data[data.length >> 1]! ^= 0xff;
  writeFileSync(damaged, data);

  const sent: ArchivedRecord[] = [];
  const reported: string[] = [];
  const result = await replayArchive({
    dir,
    ...ALL,
    skipCorrupt: true,
    send: async (rs) => (sent.push(...rs), { ok: true }),
    onIncompleteKeyframe: (k) => reported.push(k.problem),
  });
  const sentParts = sent.filter((r): r is Keyframe => r.type === 'keyframe');
  assert.deepEqual(sentParts, b, 'the complete keyframe is sent, every part, in order');
  assert.equal(result.keyframe, b.length);
  assert.deepEqual(
    result.incompleteKeyframes.map((k) => [k.id, k.count, k.present]),
    [['collector@rec/1-1#1', a.length, [...Array(25 - head.length).keys()]]],
  );
  assert.deepEqual(reported, [`keyframe collector@rec/1-1#1 at ${a[0]!.time}: ${a.length - (25 - head.length)} of ${a.length} part(s) missing`]);
  assert.deepEqual(
    sent.filter((r) => r.type !== 'keyframe'),
    records.filter((r, i) => r.type !== 'keyframe' && (i < 25 || i >= 50)),
    'the other records are all replayed',
  );
});

test('time-shifted replay keeps the parts of one keyframe at one time', async (t) => {
  const dir = await tempDir(t);
  const head = randomStream(3, 30, BASE).filter((r) => r.type !== 'keyframe');
  const parts = partsOf(head, 1, head[head.length - 1]!.time);
  const archive = archiveAt(dir, 7);
  for (const r of [...head, ...parts]) archive.append(r);
  await archive.close();
  let clock = 1_000_000;
  const sent: ArchivedRecord[] = [];
  await replayArchive({
    dir,
    ...ALL,
    mode: { kind: 'shifted', speed: 1000 },
    skipCorrupt: false,
    clock: { now: () => clock, sleep: async (ms) => void (clock += ms) },
    send: async (rs) => (sent.push(...rs), { ok: true }),
  });
  const times = new Set(sent.filter((r) => r.type === 'keyframe').map((r) => r.time));
  assert.equal(sent.filter((r) => r.type === 'keyframe').length, parts.length);
  assert.equal(times.size, 1, 'all parts carry the same shifted time');
});

test('the shipper sends at most keyframePartsPerBatch parts per request, and everything in order', async (t) => {
  const dir = await tempDir(t);
  const head = randomStream(4, 60, BASE).filter((r) => r.type !== 'keyframe');
  const archive = archiveAt(dir, 1000);
  const batches: ArchivedRecord[][] = [];
  const shipper = new Shipper(archive, { send: async (rs) => (batches.push([...rs]), { ok: true }), shutdown: async () => {} }, silentLogger(), {
    lingerMs: 5,
    keyframePartsPerBatch: 3,
  });
  const records: ArchivedRecord[] = [];
  for (let k = 0; k < 4; k++) records.push(...head.slice(k * 10, k * 10 + 10), ...partsOf(head, 1 + k * 100, head[k * 10 + 9]!.time));
  for (const r of records) archive.append(r);
  await pollUntil(async () => (shipper.counters.pending === 0 ? true : undefined), { timeoutMs: 10_000, what: 'everything shipped' });
  await shipper.stop();
  await archive.close();
  assert.deepEqual(
    batches.flat(),
    records.filter((r) => r.type !== 'flow'),
    'every lifecycle record and part, once, in order',
  );
  assert.ok(batches.length > 1);
  for (const b of batches)
    assert.ok(b.filter((r) => r.type === 'keyframe').length <= 3, `a request with ${b.filter((r) => r.type === 'keyframe').length} parts`);
});
