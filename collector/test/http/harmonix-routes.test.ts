// POST /v1/annotations through the real agent: whatever is answered 202 is on GET /v1/events, at every field's limit.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { startAgent, type Agent } from '../../src/agent.js';
import { harmonixRoutes } from '../../src/http/harmonix-routes.js';
import { createSurface } from '../../src/http/server.js';
import { buildConfig } from '../../src/config/load.js';
import type { ContractRecord } from '@harmonix/contract';
import { silentLogger } from '../../src/core/logger.js';
import { builtinSources } from '../../src/sources/index.js';
import { AnnotationBody } from '../../src/sources/harmonix/annotations.js';
import { rng } from '../../src/core/random.js';

let agent: Agent;
const TOKEN = 'routes-test-token-123456';

before(async () => {
  const config = buildConfig(
    [
      {
        listen: '127.0.0.1:0',
        token: TOKEN,
        sources: { os: { enabled: false }, hardware: { enabled: false } },
        recorder: { dir: mkdtempSync(join(tmpdir(), 'hmx-routes-')) },
      },
    ],
    builtinSources,
  );
  agent = await startAgent(config, silentLogger());
});
after(() => agent.stop());

const post = (body: unknown) =>
  fetch(`${agent.collector.url}/v1/annotations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });

async function timeline(): Promise<ContractRecord[]> {
  const res = await fetch(`${agent.collector.url}/v1/events?since=0&limit=10000`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { events: { record: ContractRecord }[] }).events.map((e) => e.record);
}

const limit = (field: keyof typeof AnnotationBody.properties) => AnnotationBody.properties[field].maxLength!;
const annotationsOf = (records: ContractRecord[]) => records.filter((r) => r.type === 'audit' && r.attributes?.['hmx.annotation'] === true);

test('every field at its maximum length (ASCII and astral text) is answered 202 and reaches the timeline', async () => {
  // The longest zone name the runtime knows: `timezone` must also be a real zone, so its limit is not reachable.
  const zone = Intl.supportedValuesOf('timeZone').reduce((a, b) => (b.length > a.length ? b : a));
  const [head, offset] = ['2025-11-11T20:20:00.', '+01:00'];
  const time = head + '1234567890'.repeat(4).slice(0, limit('iso_timestamp') - head.length - offset.length) + offset;
  assert.equal(time.length, limit('iso_timestamp'));
  const bodies = [
    { iso_timestamp: time, timezone: zone, source: 's'.repeat(limit('source')), human: 'h'.repeat(limit('human')) },
    { iso_timestamp: time, timezone: zone, source: '🎵'.repeat(limit('source')), human: 'Δ'.repeat(limit('human')) },
    { iso_timestamp: time, timezone: zone, source: 'x'.repeat(250), human: 'the issue-20 case: 250-character source' },
  ];
  for (const body of bodies) {
    const res = await post(body);
    assert.equal(res.status, 202, await res.text());
    const last = (await (await fetch(`${agent.collector.url}/v1/annotations/last`)).json()) as { source: string };
    assert.equal(last.source, body.source);
  }
  const landed = annotationsOf(await timeline());
  for (const body of bodies) {
    const rec = landed.find((r) => r.attributes?.['hmx.annotation.source'] === body.source);
    assert.ok(rec?.type === 'audit', `no audit for a source of ${body.source.length} UTF-16 units`);
    assert.equal(rec.message, body.human);
    assert.equal(rec.time, body.iso_timestamp);
    assert.equal(rec.attributes?.['hmx.annotation.timezone'], zone);
    assert.ok(Array.from(rec.subject).length <= 256);
  }
});

test('long sources that share a prefix keep distinct subjects; random lengths and characters all land', async () => {
  const random = rng(20);
  const alphabet = ['a', 'Z', '9', ' ', 'é', '🎵', '中', '-', ':'];
  const sources = ['p'.repeat(255) + '1', 'p'.repeat(255) + '2'];
  for (let i = 0; i < 40; i++) {
    const n = 1 + Math.floor(random() * limit('source'));
    sources.push(Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  }
  for (const [i, source] of sources.entries()) {
    const res = await post({ iso_timestamp: '2025-11-11T20:20:00Z', timezone: 'UTC', source, human: `random ${i}` });
    assert.equal(res.status, 202, `${source}: ${await res.text()}`);
  }
  const landed = annotationsOf(await timeline());
  const subjectOf = (i: number) => {
    const rec = landed.find((r) => r.type === 'audit' && r.message === `random ${i}` && r.attributes?.['hmx.annotation.source'] === sources[i]);
    assert.ok(rec?.type === 'audit', `annotation ${i} (${sources[i]!.length} UTF-16 units) did not reach the timeline`);
    return rec.subject;
  };
  const subjects = sources.map((_, i) => subjectOf(i));
  assert.notEqual(subjects[0], subjects[1]);
  sources.forEach((source, i) => {
    // A source that fits is the subject verbatim; a longer one is cut, hashed, and still at most 256 code points.
    if (Array.from(source).length <= 256 - 'annotation:'.length) assert.equal(subjects[i], `annotation:${source}`);
    else assert.ok(Array.from(subjects[i]!).length <= 256 && subjects[i] !== `annotation:${source}`);
  });
});

test('a body over a limit is a 400 naming the field, and nothing reaches the timeline', async () => {
  const before = annotationsOf(await timeline()).length;
  const res = await post({ iso_timestamp: '2025-11-11T20:20:00Z', timezone: 'UTC', source: 's'.repeat(limit('source') + 1), human: 'too long' });
  assert.equal(res.status, 400);
  assert.ok(((await res.json()) as { errors: { field: string }[] }).errors.some((e) => e.field === '/source'));
  assert.equal(annotationsOf(await timeline()).length, before);
});

test('an alert that cannot go on the timeline is named in the 202 answer, not hidden', async () => {
  const alert = (fingerprint: string, startsAt: string) => ({
    status: 'firing',
    labels: { alertname: 'Dissonance' },
    annotations: {},
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint,
  });
  // RFC 3339 allows any number of fractional digits; the contract's `time` holds at most 40 characters.
  const res = await fetch(`${agent.collector.url}/v1/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ status: 'firing', alerts: [alert('ok1', '2025-11-11T20:00:00Z'), alert('long1', `2025-11-11T20:00:00.${'1'.repeat(30)}Z`)] }),
  });
  assert.equal(res.status, 202);
  const answer = (await res.json()) as { accepted: number; rejected?: { index: number; errors: { field: string }[] }[] };
  assert.equal(answer.accepted, 1);
  assert.deepEqual(
    answer.rejected?.map((r) => [r.index, r.errors.map((e) => e.field)]),
    [[1, ['/time']]],
  );
});

test('while the timeline cannot take the record (collector not running) the answer is 503, and nothing is "last"', async () => {
  const app = createSurface(
    {
      logger: silentLogger(),
      maxBodyBytes: 1 << 20,
      maxBatch: 100,
      status: () => ({}),
      healthy: () => true,
      topology: () => ({}),
      recent: () => ({ cursor: 0, events: [] }),
      ingest: () => 0,
      serveMetrics: (_req, res) => res.end(),
      timeouts: { headersMs: 10_000, requestMs: 30_000, idleMs: 60_000 },
      allowedHosts: [],
    },
    [harmonixRoutes({ apply: () => 0, tracer: trace.getTracer('test'), hooks: [], logger: silentLogger(), emitter: 'harmonix-api@test' })],
  );
  try {
    const { port } = await app.listen('127.0.0.1', 0);
    const body = JSON.stringify({ iso_timestamp: '2025-11-11T20:20:00Z', timezone: 'UTC', source: 'ops', human: 'deploy' });
    const res = await fetch(`http://127.0.0.1:${port}/v1/annotations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 503);
    assert.equal((await fetch(`http://127.0.0.1:${port}/v1/annotations/last`)).status, 404);
  } finally {
    await app.close();
  }
});
