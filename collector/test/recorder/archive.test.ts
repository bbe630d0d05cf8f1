// Property test (archive → replay reproduces exactly what was recorded) and archive mechanics: modes, journal recovery.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createLogBatchSender } from '../../src/recorder/otlp-logs.js';
import { replayArchive } from '../../src/recorder/replay.js';
import { verifyArchive } from '../../src/recorder/verify.js';
import { assertContractValid, FakeOtlp, openArchive, randomStream, tempDir } from './helpers.js';

const resource = resourceFromAttributes({ 'service.name': 'hmx-collector-test' });
const ALL = { fromMs: 0, toMs: Date.parse('2100-01-01T00:00:00Z') };

test('property: archive then replay over OTLP reproduces exactly the recorded records, for random streams', async (t) => {
  const otlp = await FakeOtlp.start();
  t.after(() => otlp.close());
  const sender = createLogBatchSender(resource, { endpoint: otlp.url });
  t.after(() => sender.shutdown());
  for (const seed of [1, 7, 42, 1234, 99991]) {
    const dir = await tempDir(t);
    const length = 1 + (seed % 397);
    const stream = randomStream(seed, length);
    assertContractValid(stream);
    const archive = openArchive(dir, { bundleMaxRecords: 1 + (seed % 60), compression: seed % 2 ? 'brotli' : 'gzip' });
    for (const r of stream) archive.append(r);
    await archive.close();
    otlp.logs.length = 0;
    const result = await replayArchive({ dir, ...ALL, mode: { kind: 'backfill' }, skipCorrupt: false, send: (rs) => sender.send(rs) });
    assert.equal(result.records, stream.length, `seed ${seed}: count`);
    assert.deepEqual(otlp.bodies(), JSON.parse(JSON.stringify(stream)), `seed ${seed}: replayed bodies differ from the recorded stream`);
    // Original timestamps on the log records, event names as the live sink names them.
    assert.deepEqual(
      otlp.logs.map((l) => l.eventName),
      stream.map((r) => `hmx.${r.type}`),
    );
    assert.deepEqual(
      otlp.logs.map((l) => BigInt(l.timeUnixNano!)),
      stream.map((r) => BigInt(Date.parse(r.time)) * 1_000_000n),
    );
    assert.equal(verifyArchive(dir).ok, true, `seed ${seed}: fresh archive verifies`);
  }
});

test("property: a bundle without flow samples is the journal's own bytes, batches ended at random, with its time range", async (t) => {
  const otlp = await FakeOtlp.start();
  t.after(() => otlp.close());
  const sender = createLogBatchSender(resource, { endpoint: otlp.url });
  t.after(() => sender.shutdown());
  for (const seed of [3, 11, 500]) {
    const dir = await tempDir(t);
    const stream = randomStream(seed, 300).filter((r) => r.type !== 'flow');
    const archive = openArchive(dir, { bundleMaxRecords: 1 + (seed % 50) });
    stream.forEach((r, i) => {
      archive.append(r);
      if (i % (1 + (seed % 7)) === 0) archive.endBatch();
    });
    await archive.close();
    otlp.logs.length = 0;
    await replayArchive({ dir, ...ALL, mode: { kind: 'backfill' }, skipCorrupt: false, send: (rs) => sender.send(rs) });
    assert.deepEqual(otlp.bodies(), JSON.parse(JSON.stringify(stream)), `seed ${seed}: replayed bodies differ from the recorded stream`);
    for (const b of archive.bundles) {
      const times = stream.slice(b.firstN - 1, b.lastN).map((r) => Date.parse(r.time));
      assert.deepEqual([Date.parse(b.from), Date.parse(b.to)], [Math.min(...times), Math.max(...times)], `seed ${seed}: ${b.file} range`);
    }
    assert.equal(verifyArchive(dir).ok, true, `seed ${seed}: fresh archive verifies`);
  }
});

test('replay retries a refused batch with the shared backoff, then gives up naming the attempts', async (t) => {
  const dir = await tempDir(t);
  const archive = openArchive(dir, { bundleMaxRecords: 16 });
  for (const r of randomStream(3, 10)) archive.append(r);
  await archive.close();
  const slept: number[] = [];
  const clock = { now: () => 0, sleep: async (ms: number) => void slept.push(ms) };
  let calls = 0;
  const flaky = async () => (++calls <= 2 ? { ok: false, error: 'HTTP 503' } : { ok: true });
  const result = await replayArchive({ dir, ...ALL, mode: { kind: 'backfill' }, skipCorrupt: false, send: flaky, clock, random: () => 0 });
  assert.equal(result.records, 10);
  assert.deepEqual(slept, [500, 1000], 'the lowest draws of 1 s and 2 s ceilings');
  slept.length = 0;
  const down = async () => ({ ok: false, error: 'HTTP 503' });
  await assert.rejects(
    replayArchive({ dir, ...ALL, mode: { kind: 'backfill' }, skipCorrupt: false, send: down, clock, random: () => 0.5 }),
    /after 5 attempts: HTTP 503/,
  );
  assert.deepEqual(slept, [750, 1500, 3000, 6000]);
});

test('replay selects the --from/--to window and time-shifts to now at the chosen speed', async (t) => {
  const dir = await tempDir(t);
  const stream = randomStream(5, 120);
  const archive = openArchive(dir, { bundleMaxRecords: 16 });
  for (const r of stream) archive.append(r);
  await archive.close();
  const times = stream.map((r) => Date.parse(r.time));
  const fromMs = times[30]!;
  const toMs = times[80]!;
  const expected = stream.filter((r) => Date.parse(r.time) >= fromMs && Date.parse(r.time) <= toMs);
  const got: unknown[] = [];
  await replayArchive({ dir, fromMs, toMs, mode: { kind: 'backfill' }, skipCorrupt: false, send: async (rs) => (got.push(...rs), { ok: true }) });
  assert.deepEqual(got, expected);

  let clock = Date.parse('2030-01-01T00:00:00Z');
  const slept: number[] = [];
  const shifted: { time: string; seq: number }[] = [];
  await replayArchive({
    dir,
    fromMs,
    toMs,
    mode: { kind: 'shifted', speed: 10 },
    skipCorrupt: false,
    clock: {
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    },
    send: async (rs) => (shifted.push(...rs), { ok: true }),
  });
  assert.deepEqual(
    shifted.map((r) => r.seq),
    expected.map((r) => r.seq),
    'same records in the same order',
  );
  const first = Date.parse(expected[0]!.time);
  for (const [i, r] of shifted.entries()) {
    assert.equal(
      Date.parse(r.time),
      Date.parse('2030-01-01T00:00:00Z') + Math.floor((Date.parse(expected[i]!.time) - first) / 10),
      'time-shifted to now, compressed 10x',
    );
  }
  assert.ok(slept.length > 0, 'paced, not sent at once');
});

test('archive files are owner-only: directory 0700, bundles, manifest, journal and cursor 0600', async (t) => {
  const dir = await tempDir(t);
  const archive = openArchive(dir, { bundleMaxRecords: 10 });
  for (const r of randomStream(3, 25)) archive.append(r);
  await archive.cut();
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const files = readdirSync(dir);
  assert.ok(
    files.some((f) => f.startsWith('journal-')),
    'open journal present',
  );
  assert.ok(files.filter((f) => f.startsWith('b-')).length >= 2);
  for (const f of files) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  await archive.close();
});

test('the records of a batch reach the journal together when the batch ends, each as its contract JSON line', async (t) => {
  const dir = await tempDir(t);
  const archive = openArchive(dir, { bundleMaxRecords: 1000 });
  t.after(() => archive.close());
  const stream = randomStream(12, 20);
  const journal = () =>
    readFileSync(
      join(
        dir,
        readdirSync(dir).find((f) => f.startsWith('journal-'))!,
      ),
      'utf8',
    );
  for (const r of stream) archive.append(r);
  assert.equal(journal(), '', 'nothing is written while the batch is open');
  archive.endBatch();
  assert.equal(journal(), stream.map((r) => `${JSON.stringify(r)}\n`).join(''));
});

test('a crash leaves a journal that the next start seals: nothing accepted is lost, a torn last line is dropped', async (t) => {
  const dir = await tempDir(t);
  const crashed = `${dir}-crashed`;
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(crashed, { recursive: true, force: true })));
  const stream = randomStream(11, 70);
  const archive = openArchive(dir, { bundleMaxRecords: 30 });
  for (const r of stream) archive.append(r);
  archive.endBatch(); // what the collector does before it answers the request that carried them
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the two automatic cuts land
  // The state a SIGKILL would leave: copy the directory while the archive is open.
  cpSync(dir, crashed, { recursive: true });
  await archive.close();
  const journal = readdirSync(crashed).find((f) => f.startsWith('journal-'))!;
  assert.ok(journal, 'the open bundle lives in a journal');
  appendFileSync(join(crashed, journal), '{"v":1,"type":"flow","ti'); // torn write
  const reopened = openArchive(crashed, { bundleMaxRecords: 30 });
  assert.equal(reopened.lastN, 70, 'all 70 accepted records are archived after recovery');
  await reopened.close();
  const got: unknown[] = [];
  await replayArchive({ dir: crashed, ...ALL, mode: { kind: 'backfill' }, skipCorrupt: false, send: async (rs) => (got.push(...rs), { ok: true }) });
  assert.deepEqual(got, stream);
  assert.equal(readdirSync(crashed).filter((f) => f.startsWith('journal-')).length, 0);
  assert.deepEqual(verifyArchive(crashed).problems, []);
});

test('compact flow encoding round-trips exactly, and leaves samples it cannot reproduce as plain JSON', async () => {
  const { encodeBundle, decodeBundle, compressSync } = await import('../../src/recorder/bundle.js');
  const flows = [
    { v: 1, type: 'flow', time: '2026-11-20T10:00:00.120Z', emitter: 'e1', seq: 5, from: 'mesh:a/x', to: 'mesh:b/y', messages: 3, bytes: 300 },
    { v: 1, type: 'flow', time: '2026-11-20T09:59:59.999Z', emitter: 'e2', seq: 1, from: 'mesh:b/y', to: 'mesh:a/x', messages: 0, bytes: 0 },
    { v: 1, type: 'flow', time: '2026-11-20T10:00:01Z', emitter: 'e1', seq: 6, from: 'mesh:a/x', to: 'mesh:b/y', messages: 1, bytes: 10 },
    { v: 1, type: 'flow', time: '2026-11-20T10:00:02.000+00:00', emitter: 'e1', seq: 9, from: '7', to: '0', messages: 1, bytes: 10 },
    {
      v: 1,
      type: 'flow',
      time: '2026-11-20T10:00:03.000Z',
      emitter: 'e1',
      seq: 10,
      from: 'mesh:a/x',
      to: 'mesh:b/y',
      messages: 2,
      bytes: 20,
      attributes: { lane: 'fast' },
    },
    { v: 1, type: 'flow', time: '2026-11-20T10:00:04.000Z', emitter: 'e1', seq: 11, from: 'mesh:a/x', to: 'mesh:b/y', messages: 2, bytes: 20 },
  ] as const;
  const text = encodeBundle(flows as never);
  const lines = text.trim().split('\n');
  assert.deepEqual(
    lines.map((l) => l[0]),
    ['[', '[', '{', '{', '{', '['],
    'compact only where exact',
  );
  assert.deepEqual(decodeBundle('x.ndjson.br', compressSync(text, 'brotli')), flows);
});

test('one collector per archive: a second recorder on the same directory is refused naming recorder.dir; a stale lock is taken over', async (t) => {
  const { createFlightRecorder } = await import('../../src/recorder/index.js');
  const { ConfigError } = await import('../../src/config/errors.js');
  const { writeFileSync } = await import('node:fs');
  const dir = await tempDir(t);
  const first = createFlightRecorder({ dir });
  assert.throws(
    () => createFlightRecorder({ dir }),
    (e: unknown) => e instanceof ConfigError && e.key === 'recorder.dir' && /already open/.test(e.message),
  );
  await first.close();
  // A lock left by a killed process (a pid that does not exist) does not block the next start.
  writeFileSync(join(dir, 'collector.lock'), '2147483646\n');
  const second = createFlightRecorder({ dir });
  await second.close();
  assert.equal(verifyArchive(dir).ok, true);
});
