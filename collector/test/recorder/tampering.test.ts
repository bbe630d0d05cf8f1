// A tampered archive directory is outside input: the recorder reads and deletes only regular files it names inside
// its own directory, opened without following links, within size limits (start-up and `verify`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encodeBundle } from '../../src/recorder/bundle.js';
import { journalName } from '../../src/recorder/journal.js';
import { MANIFEST_NAME, readManifest, sha256, writeManifest } from '../../src/recorder/manifest.js';
import { verifyArchive } from '../../src/recorder/verify.js';
import { FIXTURE_START, openArchive, randomStream, tempDir } from './helpers.js';

const counts = { lifecycle: 1, flow: 0, keyframe: 0 };

test('a self-consistent manifest listing ../victim.txt: start-up retention deletes nothing outside the archive', async (t) => {
  const dir = await tempDir(t);
  const root = dirname(dir);
  mkdirSync(dir);
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, 'keep me');
  const old = new Date(FIXTURE_START - 30 * 86_400_000).toISOString();
  writeManifest(dir, {
    format: 'hmx-flight-recorder/1',
    nextN: 2,
    bundles: [{ file: '../victim.txt', from: old, to: old, firstN: 1, lastN: 1, counts, bytes: 7, sha256: sha256('keep me') }],
  });
  assert.match(verifyArchive(dir).problems[0]!.detail, /not a plain file name/);
  const archive = openArchive(dir);
  await archive.enforceRetention();
  await archive.close();
  assert.ok(existsSync(victim), 'the file outside the archive survived');
  assert.ok(
    readdirSync(dir).some((f) => f.startsWith('manifest.damaged-')),
    'the bad manifest is kept as evidence',
  );
  assert.ok(readManifest(dir).ok);
});

test('a symlinked journal is not followed; a journal line that is not a record is left out, start-up goes on', async (t) => {
  const dir = await tempDir(t);
  const root = dirname(dir);
  mkdirSync(dir);
  const [good, other] = randomStream(5, 2);
  const outside = join(root, 'planted.ndjson');
  writeFileSync(outside, `${JSON.stringify(good)}\n`);
  symlinkSync(outside, join(dir, journalName(1)));
  writeFileSync(join(dir, journalName(100)), `${JSON.stringify(other)}\n{"v":1,"type":"node.joined","bad":true}\n${JSON.stringify(good)}\n`);
  const archive = openArchive(dir);
  assert.equal(archive.lastN, 101, 'only the two valid lines of the regular journal were imported');
  await archive.close();
  assert.ok(existsSync(outside));
});

test('verify refuses a FIFO or a link to /dev/zero as manifest.json without hanging or reading it', async (t) => {
  const fifoDir = await tempDir(t);
  mkdirSync(fifoDir);
  execFileSync('mkfifo', [join(fifoDir, MANIFEST_NAME)]);
  assert.match(verifyArchive(fifoDir).problems[0]!.detail, /not a regular file/);
  const zeroDir = await tempDir(t);
  mkdirSync(zeroDir);
  symlinkSync('/dev/zero', join(zeroDir, MANIFEST_NAME));
  assert.match(verifyArchive(zeroDir).problems[0]!.detail, /symbolic link/);
});

test('a decompression bomb listed with the right checksum is reported, not inflated', async (t) => {
  const dir = await tempDir(t);
  mkdirSync(dir);
  const line = encodeBundle(randomStream(9, 1));
  const bomb = gzipSync(Buffer.concat([Buffer.alloc(65 * 1024 * 1024, 0x20), Buffer.from(line)]), { level: 9 });
  const file = 'b-20261120T100000Z-000000000001.ndjson.gz';
  writeFileSync(join(dir, file), bomb);
  const t0 = new Date(FIXTURE_START).toISOString();
  writeManifest(dir, {
    format: 'hmx-flight-recorder/1',
    nextN: 2,
    bundles: [{ file, from: t0, to: t0, firstN: 1, lastN: 1, counts, bytes: bomb.length, sha256: sha256(bomb) }],
  });
  const report = verifyArchive(dir);
  assert.equal(report.ok, false);
  assert.match(report.problems[0]!.detail, /cannot be decompressed/);
});
