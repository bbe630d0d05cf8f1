// The real `hmx-collector verify` and `replay` commands as child processes: exit codes 0 / 1 / 2 and their output.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseMode, parseTime } from '../../src/cli/replay.js';
import { ConfigError } from '../../src/config/errors.js';
import { readManifest } from '../../src/recorder/manifest.js';
import { FakeOtlp, openArchive, randomStream, tempDir } from './helpers.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args],
      { cwd: root, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

test('verify: exit 0 on a clean archive, 1 naming the corrupt bundle; replay refuses it (1) unless --skip-corrupt (0)', async (t) => {
  const dir = await tempDir(t);
  const stream = randomStream(77, 90);
  const archive = openArchive(dir, { bundleMaxRecords: 30 });
  for (const r of stream) archive.append(r);
  await archive.close();
  const otlp = await FakeOtlp.start();
  t.after(() => otlp.close());

  const clean = await cli(['verify', '--archive', dir]);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /^OK: .* 3 bundle\(s\) verified, 90 records/m);

  const window = ['--from', stream[0]!.time, '--to', stream.at(-1)!.time, '--otlp-endpoint', otlp.url, '--archive', dir];
  const replayed = await cli(['replay', ...window, '--as-fast-as-possible']);
  assert.equal(replayed.code, 0, replayed.stderr);
  assert.match(replayed.stdout, /^replayed 90 records \(\d+ lifecycle, \d+ flow, \d+ keyframe parts\) from 3 bundle\(s\)/);
  assert.match(replayed.stderr, /replay \[#+\] 100% 90\/90/, 'progress bar on stderr');
  assert.equal(otlp.logs.length, 90);

  const manifest = readManifest(dir);
  assert.ok(manifest.ok);
  const victim = manifest.body.bundles[1]!.file;
  const data = readFileSync(join(dir, victim));
  data[10]! ^= 0xff;
  writeFileSync(join(dir, victim), data);
  const corrupt = await cli(['verify', '--archive', dir]);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stdout, new RegExp(`CORRUPT +${victim.replace(/\./g, '\\.')}: SHA-256 mismatch`));

  otlp.logs.length = 0;
  const refused = await cli(['replay', ...window]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`refusing to replay.*\\n.*${victim.replace(/\./g, '\\.')}`));
  assert.equal(otlp.logs.length, 0, 'nothing sent');
  const skipping = await cli(['replay', ...window, '--skip-corrupt']);
  assert.equal(skipping.code, 0, skipping.stderr);
  assert.match(skipping.stderr, new RegExp(`skipping corrupt bundle: ${victim.replace(/\./g, '\\.')}`));
  assert.equal(otlp.logs.length, 60);
});

test('invalid flags exit 2 and name the flag', async (t) => {
  const dir = await tempDir(t);
  const cases: [string[], RegExp][] = [
    [['replay', '--from', 'yesterday-ish', '--otlp-endpoint', 'http://127.0.0.1:9', '--archive', dir], /invalid configuration: --from: expected a time/],
    [['verify', '--archiv', dir], /unknown option '--archiv'/],
  ];
  for (const [args, named] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, named);
  }
});

test('flag parsing: times, relative times, speed and mode conflicts raise ConfigError naming the flag', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  assert.equal(parseTime('--from', '2026-11-23T10:00:00Z', now), Date.parse('2026-11-23T10:00:00Z'));
  assert.equal(parseTime('--from', '-90m', now), now - 5_400_000);
  assert.equal(parseTime('--to', 'now', now), now);
  for (const bad of ['yesterday', '-forever', '2026-13-45T99:00:00Z', '']) {
    assert.throws(
      () => parseTime('--from', bad, now),
      (e: unknown) => e instanceof ConfigError && e.key === '--from',
      bad,
    );
  }
  assert.deepEqual(parseMode({}), { kind: 'backfill' });
  assert.deepEqual(parseMode({ asFastAsPossible: true }), { kind: 'backfill' });
  assert.deepEqual(parseMode({ speed: '60' }), { kind: 'shifted', speed: 60 });
  for (const flags of [{ speed: '0' }, { speed: '-2' }, { speed: 'fast' }, { speed: '2', asFastAsPossible: true }]) {
    assert.throws(
      () => parseMode(flags),
      (e: unknown) => e instanceof ConfigError && e.key === '--speed',
      JSON.stringify(flags),
    );
  }
});
