/** Unit tests of the test harness itself (no real Prometheus/collector needed). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  builderManifest,
  chromiumBinary,
  MissingBinaryError,
  nodeExporterBinary,
  otelcolBinary,
  otelcolCachePath,
  prometheusBinary,
} from '../support/binaries.js';
import { parseLogLines, parseSpanLines } from '../support/otlp-json.js';
import { freePorts } from '../support/ports.js';
import { startProcess } from '../support/process.js';
import { pollUntil } from '../support/wait.js';

describe('binaries', () => {
  it('uses the same cache rule as scripts/setup/test-deps.sh (sha256 of the manifest, 16 hex)', () => {
    const hash = execFileSync('sha256sum', [builderManifest], { encoding: 'utf8' }).slice(0, 16);
    assert.match(otelcolCachePath(), new RegExp(`/hmx-mission-control/otelcol-${hash}/otelcol-hmx$`));
  });

  it('tells how to install a missing collector', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hmx-empty-cache-'));
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = empty;
    try {
      assert.throws(
        () => otelcolBinary(),
        (err: unknown) => {
          assert.ok(err instanceof MissingBinaryError);
          assert.match(err.message, /bash scripts\/setup\/test-deps\.sh/);
          assert.ok(err.message.includes(empty));
          return true;
        },
      );
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('finds runnable Debian binaries and the built collector (after test-deps.sh)', () => {
    const version = (bin: string, arg = '--version') => execFileSync(bin, [arg], { encoding: 'utf8', stdio: 'pipe' });
    assert.match(version(otelcolBinary()), /otelcol-hmx version 0\.158\.0/);
    assert.match(version(prometheusBinary()), /prometheus, version/);
    assert.match(version(nodeExporterBinary()), /node_exporter, version/);
    assert.match(version(chromiumBinary()), /Chromium/);
  });
});

describe('ports', () => {
  it('hands out distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await freePorts(3);
    assert.equal(new Set(ports).size, 3);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('process', () => {
  it('fails fast with the child output when the child exits before it is ready', async () => {
    await assert.rejects(
      startProcess({
        name: 'dies',
        command: 'sh',
        args: ['-c', 'echo boom-on-stderr >&2; exit 3'],
        ready: async () => false,
        readyTimeoutMs: 60_000,
      }),
      (err: Error) => {
        assert.match(err.message, /dies exited before it was ready \(code 3/);
        assert.match(err.message, /boom-on-stderr/);
        return true;
      },
    );
  });

  it('stop() ends the whole process group', async () => {
    const proc = await startProcess({
      name: 'sleeper',
      command: 'sh',
      args: ['-c', 'sleep 300 & sleep 300'],
      ready: async () => true,
    });
    const groupAlive = () => {
      try {
        process.kill(-proc.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    assert.equal(groupAlive(), true);
    await proc.stop();
    assert.equal(proc.exited(), true);
    await pollUntil(async () => (groupAlive() ? undefined : true), { timeoutMs: 5000, what: 'the process group to be gone' });
  });
});

describe('wait', () => {
  it('reports what it waited for and the last error on timeout', async () => {
    await assert.rejects(
      pollUntil(
        async () => {
          throw new Error('not there yet');
        },
        { timeoutMs: 50, intervalMs: 10, what: 'the thing' },
      ),
      /timed out after 50 ms waiting for the thing\nlast error: not there yet/,
    );
  });
});

describe('otlp-json (file exporter output)', () => {
  const logLine = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeLogs: [
          {
            scope: { name: 'sc' },
            logRecords: [
              {
                eventName: 'hmx.node.failed',
                body: { stringValue: '{"v":1}' },
                attributes: [
                  { key: 'n', value: { intValue: '42' } },
                  { key: 'arr', value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: 1.5 }] } } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });

  it('flattens log records with resource, scope and typed attributes', () => {
    const [rec, ...rest] = parseLogLines(`${logLine}\n`);
    assert.equal(rest.length, 0);
    assert.deepEqual(rec, {
      resource: { 'service.name': 'svc' },
      scope: { name: 'sc' },
      eventName: 'hmx.node.failed',
      severityNumber: undefined,
      severityText: undefined,
      body: '{"v":1}',
      attributes: { n: 42, arr: [true, 1.5] },
      timeUnixNano: undefined,
      traceId: undefined,
      spanId: undefined,
    });
  });

  it('skips a last line still being written but rejects a broken complete line', () => {
    assert.equal(parseLogLines(`${logLine}\n{"resourceLo`).length, 1);
    assert.throws(() => parseLogLines(`{"broken\n${logLine}\n`, 'logs.jsonl'), /logs\.jsonl: line 1 is not valid JSON/);
  });

  it('flattens spans and drops an empty parent span id', () => {
    const line = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 't', spanId: 's', parentSpanId: '', name: 'root', kind: 4 }] }] }],
    });
    const [span] = parseSpanLines(`${line}\n`);
    assert.equal(span?.name, 'root');
    assert.equal(span?.parentSpanId, undefined);
    assert.equal(span?.kind, 4);
    assert.deepEqual(span?.resource, {});
  });
});
