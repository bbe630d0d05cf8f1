// Secrets never shown: user:password@ in the OTLP endpoint stays off the banner, /status and /v1/recorder; a rejected
// token or header value is not echoed by the configuration error. Through the real CLI.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', HMX_TOKEN: '' };
const cli = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...env, ...extra } });
const dir = mkdtempSync(join(tmpdir(), 'hmx-secrets-'));
const yaml = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

test('a rejected token, header value or endpoint password is not echoed in the configuration error', () => {
  const token = cli(['run', '--listen', '127.0.0.1:0'], { HMX_TOKEN: 'tooshort-s3cr3t' });
  assert.equal(token.status, 2);
  assert.match(token.stderr, /token/);
  assert.ok(!token.stderr.includes('tooshort-s3cr3t'), token.stderr);

  const header = cli(['run', '--config', yaml('h.yaml', 'otlp:\n  headers:\n    x-api-key: [h3ader-s3cr3t]\n')]);
  assert.equal(header.status, 2);
  assert.match(header.stderr, /otlp\.headers/);
  assert.ok(!header.stderr.includes('h3ader-s3cr3t'), header.stderr);

  const hook = cli([
    'run',
    '--config',
    yaml('k.yaml', 'harmonix:\n  hooks:\n    - url: http://127.0.0.1:9/heal\n      headers:\n        authorization: 12345678\n'),
  ]);
  assert.equal(hook.status, 2);
  assert.ok(!hook.stderr.includes('12345678'), hook.stderr);

  const encoded = cli(['run', '--listen', '127.0.0.1:0'], { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%zzs3cr3t' });
  assert.equal(encoded.status, 2);
  assert.match(encoded.stderr, /OTEL_EXPORTER_OTLP_HEADERS/);
  assert.ok(!encoded.stderr.includes('s3cr3t'), encoded.stderr);

  const endpoint = cli(['run', '--config', yaml('e.yaml', 'otlp:\n  endpoint: ftp://otel:p4ssw0rd@collector.example:4318\n')]);
  assert.equal(endpoint.status, 2);
  assert.match(endpoint.stderr, /otlp\.endpoint/);
  assert.ok(!endpoint.stderr.includes('p4ssw0rd'), endpoint.stderr);
  assert.match(endpoint.stderr, /collector\.example/);
});

test('user:password@ in the OTLP endpoint is on neither the banner, /status nor /v1/recorder', async () => {
  const config = yaml(
    'run.yaml',
    `listen: 127.0.0.1:0\nsources:\n  os: { enabled: false }\n  hardware: { enabled: false }\nrecorder:\n  dir: ${join(dir, 'rec')}\n`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'run', '--config', config, '--otlp-endpoint', 'http://otel:p4ssw0rd@127.0.0.1:9'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/exporting OTLP to/.test(stderr)) resolve(/listening on (\S+)/.exec(stderr)![1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    assert.match(stderr, /exporting OTLP to http:\/\/\*\*\*@127\.0\.0\.1:9/);
    const status = await (await fetch(`${url}/status`)).text();
    const recorder = await (await fetch(`${url}/v1/recorder`)).text();
    assert.match(status, /\*\*\*@127\.0\.0\.1:9/);
    for (const [what, text] of [
      ['banner', stderr],
      ['/status', status],
      ['/v1/recorder', recorder],
    ]) {
      assert.ok(!text!.includes('p4ssw0rd'), `${what}: ${text}`);
    }
  } finally {
    child.kill('SIGTERM');
  }
});
