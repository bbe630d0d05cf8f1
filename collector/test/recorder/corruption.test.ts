// Corruption and hostile archives: flipped byte, truncation, missing bundle, manifest tampering, unsafe entries.
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MANIFEST_NAME, readManifest, writeManifest, type ManifestBody } from '../../src/recorder/manifest.js';
import { replayArchive, ReplayRefused } from '../../src/recorder/replay.js';
import { verifyArchive } from '../../src/recorder/verify.js';
import { openArchive, randomStream, tempDir } from './helpers.js';

const ALL = { fromMs: 0, toMs: Date.parse('2100-01-01T00:00:00Z'), mode: { kind: 'backfill' } as const };

async function makeArchive(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const stream = randomStream(21, 100);
  const archive = openArchive(dir, { bundleMaxRecords: 25 });
  for (const r of stream) archive.append(r);
  await archive.close();
  const manifest = readManifest(dir);
  assert.ok(manifest.ok);
  assert.equal(manifest.body.bundles.length, 4);
  return { dir, stream, body: manifest.body, files: manifest.body.bundles.map((b) => b.file) };
}

async function replayAll(dir: string, skipCorrupt: boolean) {
  const got: unknown[] = [];
  const result = await replayArchive({ dir, ...ALL, skipCorrupt, send: async (rs) => (got.push(...rs), { ok: true }) });
  return { got, result };
}

test('a flipped byte: verify names the bundle as corrupt; replay refuses it, and with skipCorrupt replays the rest', async (t) => {
  const { dir, stream, files } = await makeArchive(t);
  const path = join(dir, files[1]!);
  const data = readFileSync(path);
  data[Math.floor(data.length / 2)]! ^= 0x01;
  writeFileSync(path, data);
  const report = verifyArchive(dir);
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.problems.map((p) => [p.kind, p.file]),
    [['corrupt', files[1]]],
  );
  assert.match(report.problems[0]!.detail, /SHA-256 mismatch/);
  assert.equal(report.bundles, 3);

  const sent: unknown[] = [];
  await assert.rejects(
    replayArchive({ dir, ...ALL, skipCorrupt: false, send: async (rs) => (sent.push(...rs), { ok: true }) }),
    (err: unknown) => err instanceof ReplayRefused && err.message.includes(files[1]!),
  );
  assert.equal(sent.length, 0, 'nothing is sent when a bundle is refused');
  const { got, result } = await replayAll(dir, true);
  assert.deepEqual(got, [...stream.slice(0, 25), ...stream.slice(50)]);
  assert.equal(result.skipped.length, 1);
  assert.match(result.skipped[0]!, new RegExp(files[1]!.replace(/\./g, '\\.')));
});

test('a truncated bundle is reported (size mismatch) and refused', async (t) => {
  const { dir, files } = await makeArchive(t);
  const path = join(dir, files[3]!);
  truncateSync(path, Math.floor(readFileSync(path).length / 2));
  const report = verifyArchive(dir);
  assert.deepEqual(
    report.problems.map((p) => [p.kind, p.file]),
    [['corrupt', files[3]]],
  );
  assert.match(report.problems[0]!.detail, /truncated/);
  await assert.rejects(replayAll(dir, false), ReplayRefused);
});

test('a missing bundle is reported as missing; an unlisted file as extra', async (t) => {
  const { dir, files } = await makeArchive(t);
  unlinkSync(join(dir, files[0]!));
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  const report = verifyArchive(dir);
  assert.deepEqual(report.problems.map((p) => [p.kind, p.file]).sort(), [
    ['extra', 'notes.txt'],
    ['missing', files[0]],
  ]);
  const { result } = await replayAll(dir, true);
  assert.equal(result.bundles, 3);
});

test('manifest tampering (an edited count without a new checksum) fails verification and replay', async (t) => {
  const { dir } = await makeArchive(t);
  const path = join(dir, MANIFEST_NAME);
  writeFileSync(path, readFileSync(path, 'utf8').replace('"lifecycle":', '"lifecycle":1'));
  const report = verifyArchive(dir);
  assert.equal(report.ok, false);
  assert.equal(report.problems[0]!.kind, 'manifest');
  assert.match(report.problems[0]!.detail, /checksum mismatch/);
  await assert.rejects(replayAll(dir, true), /checksum mismatch/);
});

test('a re-checksummed manifest that points at another file: the bundle checksum still catches it', async (t) => {
  const { dir, body } = await makeArchive(t);
  const swapped: ManifestBody = { ...body, bundles: body.bundles.map((b, i) => (i === 0 ? { ...b, file: body.bundles[1]!.file } : b)) };
  writeManifest(dir, swapped);
  const report = verifyArchive(dir);
  assert.equal(report.ok, false);
  assert.ok(report.problems.some((p) => p.kind === 'corrupt'));
});

test('path traversal, absolute paths and symlinks in the manifest are refused by verify and replay', async (t) => {
  const { dir, body, stream } = await makeArchive(t);
  const outside = join(dir, '..', 'outside.ndjson.br');
  writeFileSync(outside, readFileSync(join(dir, body.bundles[0]!.file)));
  symlinkSync(join(dir, body.bundles[0]!.file), join(dir, 'b-20261120T100000Z-999999999999.ndjson.br'));
  const hostile: ManifestBody = {
    ...body,
    bundles: [
      { ...body.bundles[0]!, file: '../outside.ndjson.br' },
      { ...body.bundles[0]!, file: outside },
      { ...body.bundles[0]!, file: 'b-20261120T100000Z-999999999999.ndjson.br' },
      ...body.bundles.slice(1),
    ],
  };
  writeManifest(dir, hostile);
  unlinkSync(join(dir, body.bundles[0]!.file));
  const report = verifyArchive(dir);
  assert.deepEqual(
    report.problems.map((p) => p.kind),
    ['unsafe', 'unsafe', 'unsafe'],
  );
  assert.match(report.problems[0]!.detail, /not a plain file name/);
  assert.match(report.problems[2]!.detail, /symbolic link/);
  await assert.rejects(replayAll(dir, false), (err: unknown) => err instanceof ReplayRefused && err.message.includes('../outside.ndjson.br'));
  const { got, result } = await replayAll(dir, true);
  assert.equal(result.skipped.length, 3);
  assert.deepEqual(got, stream.slice(25), 'only the safe bundles are read');
});

test('a damaged manifest at start-up is kept as evidence and rebuilt from the intact bundles', async (t) => {
  const { dir, stream } = await makeArchive(t);
  writeFileSync(join(dir, MANIFEST_NAME), '{"sha256":"00","body":{}}');
  const archive = openArchive(dir);
  assert.equal(archive.bundles.length, 4);
  assert.equal(archive.lastN, 100);
  await archive.close();
  const { got } = await replayAll(dir, false);
  assert.deepEqual(got, stream);
  const report = verifyArchive(dir);
  assert.deepEqual(
    report.problems.map((p) => p.kind),
    ['extra'],
    'the damaged manifest copy is reported, the rest verifies',
  );
  assert.match(report.problems[0]!.file, /^manifest\.damaged-/);
});
