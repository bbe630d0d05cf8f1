// The fake Loki answers like Loki: streams with structured metadata from OTLP ingestion, limit/direction,
// [start, end), matrix results, and Loki's default limits refused with Loki's messages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import { startFakeLoki, type FakeLoki } from '../support/fake-loki/server.js';

const NOW_MS = 1_800_000_000_000; // injected clock; every fixture time is relative to it
const MS = 1_000_000n;
const ns = (ms: number) => BigInt(ms) * MS;

function otlpRecord(ms: number, type: string, seq: number, body: string) {
  return {
    timeUnixNano: String(ns(ms)),
    observedTimeUnixNano: String(ns(ms + 5)),
    severityNumber: 9,
    severityText: 'INFO',
    eventName: `hmx.${type}`,
    body: { stringValue: body },
    attributes: [
      { key: 'event.name', value: { stringValue: `hmx.${type}` } },
      { key: 'hmx.emitter', value: { stringValue: 'demo@h/1-1' } },
      { key: 'hmx.seq', value: { intValue: String(seq) } },
    ],
  };
}

function otlpBody(records: unknown[]) {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'hmx-collector' } },
            { key: 'host.name', value: { stringValue: 'h' } },
          ],
        },
        scopeLogs: [{ scope: { name: 'hmx-collector' }, logRecords: records }],
      },
    ],
  };
}

async function push(loki: FakeLoki, records: unknown[]): Promise<Response> {
  return fetch(`${loki.url}/otlp/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpBody(records)) });
}

async function query(loki: FakeLoki, path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${loki.url}${path}?${new URLSearchParams(params)}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), body: res.status === 200 ? await res.json() : await res.text() };
}

describe('fake Loki', () => {
  let loki: FakeLoki;
  const t0 = NOW_MS - 3_600_000;
  before(async () => {
    loki = await startFakeLoki({ nowNs: () => ns(NOW_MS) });
    const records = Array.from({ length: 6000 }, (_, i) =>
      otlpRecord(t0 + i * 100, i % 2 ? 'actor.spawned' : 'node.joined', i + 1, JSON.stringify({ seq: i + 1 })),
    );
    assert.equal((await push(loki, records)).status, 204);
  });
  after(() => loki.close());

  it('stores OTLP records with resource labels indexed and everything else as structured metadata', async () => {
    const r = await query(
      loki,
      '/loki/api/v1/query_range',
      { query: '{service_name="hmx-collector"}', start: String(ns(t0)), end: String(ns(t0 + 1)), limit: '10' },
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    );
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data.encodingFlags, ['categorize-labels']);
    const [stream] = r.body.data.result;
    assert.deepEqual(stream.stream, { service_name: 'hmx-collector' });
    const [tsNs, line, meta] = stream.values[0];
    assert.equal(tsNs, String(ns(t0)));
    assert.equal(line, '{"seq":1}');
    assert.equal(meta.structuredMetadata.event_name, 'hmx.node.joined');
    assert.equal(meta.structuredMetadata.hmx_seq, '1');
    assert.equal(meta.structuredMetadata.host_name, 'h');
    assert.equal(meta.structuredMetadata.observed_timestamp, String(ns(t0 + 5)));
  });

  it('without categorize-labels folds structured metadata into the stream labels', async () => {
    const r = await query(loki, '/loki/api/v1/query_range', {
      query: '{service_name="hmx-collector"}',
      start: String(ns(t0)),
      end: String(ns(t0 + 200)),
      limit: '10',
    });
    assert.equal(r.body.data.result.length, 2);
    assert.equal(r.body.data.result[0].values[0].length, 2);
    assert.ok(r.body.data.result.every((s: { stream: Record<string, string> }) => s.stream.hmx_seq && s.stream.service_name));
  });

  it('applies limit, direction and the half-open [start, end)', async () => {
    const params = { query: '{service_name="hmx-collector"} | event_name="hmx.actor.spawned"', start: String(ns(t0)), end: String(ns(t0 + 1000)) };
    const fwd = await query(
      loki,
      '/loki/api/v1/query_range',
      { ...params, limit: '3', direction: 'FORWARD' },
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    );
    assert.deepEqual(
      fwd.body.data.result[0].values.map((v: string[]) => v[1]),
      ['{"seq":2}', '{"seq":4}', '{"seq":6}'],
    );
    const back = await query(loki, '/loki/api/v1/query_range', { ...params, limit: '2' }, { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' });
    // t0+1000 is excluded (seq 11 is a node.joined anyway); newest first
    assert.deepEqual(
      back.body.data.result[0].values.map((v: string[]) => v[1]),
      ['{"seq":10}', '{"seq":8}'],
    );
    const dflt = await query(loki, '/loki/api/v1/query_range', { query: '{service_name="hmx-collector"}', start: String(ns(t0)), end: String(ns(NOW_MS)) });
    assert.equal(
      dflt.body.data.result.reduce((n: number, s: { values: unknown[] }) => n + s.values.length, 0),
      100,
    );
  });

  it('compares labels as numbers in numeric label filters', async () => {
    const r = await query(
      loki,
      '/loki/api/v1/query_range',
      { query: '{service_name="hmx-collector"} | hmx_seq >= 10 | hmx_seq < 13', start: String(ns(t0)), end: String(ns(NOW_MS)), direction: 'forward' },
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    );
    assert.deepEqual(
      r.body.data.result[0].values.map((v: string[]) => v[1]),
      ['{"seq":10}', '{"seq":11}', '{"seq":12}'],
    );
    // 9 < 100 as numbers (a string comparison would say otherwise)
    const n = await query(
      loki,
      '/loki/api/v1/query_range',
      { query: '{service_name="hmx-collector"} | hmx_seq < 100', start: String(ns(t0)), end: String(ns(NOW_MS)), limit: '5000' },
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    );
    assert.equal(n.body.data.result[0].values.length, 99);
  });

  it('refuses a limit over max_entries_limit_per_query (5000) instead of truncating', async () => {
    const r = await query(loki, '/loki/api/v1/query_range', {
      query: '{service_name="hmx-collector"}',
      start: String(ns(t0)),
      end: String(ns(NOW_MS)),
      limit: '5001',
    });
    assert.equal(r.status, 400);
    assert.match(r.type ?? '', /text\/plain/);
    assert.equal(r.body, 'max entries limit per query exceeded, limit > max_entries_limit_per_query (5001 > 5000)');
    const ok = await query(
      loki,
      '/loki/api/v1/query_range',
      { query: '{service_name="hmx-collector"}', start: String(ns(t0)), end: String(ns(NOW_MS)), limit: '5000' },
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    );
    assert.equal(ok.body.data.result[0].values.length, 5000);
  });

  it('refuses a range over max_query_length (721h)', async () => {
    const r = await query(loki, '/loki/api/v1/query_range', {
      query: '{service_name="hmx-collector"}',
      start: String(ns(NOW_MS - 722 * 3_600_000)),
      end: String(ns(NOW_MS)),
    });
    assert.equal(r.status, 400);
    assert.equal(r.body, 'the query time range exceeds the limit (query length: 722h0m0s, limit: 30d1h)');
  });

  it('answers metric queries with a matrix of counts (steps without entries have no point)', async () => {
    const r = await query(loki, '/loki/api/v1/query_range', {
      query: 'sum by (event_name) (count_over_time({service_name="hmx-collector"} [1m]))',
      start: String(ns(t0 + 60_000)),
      end: String(ns(t0 + 60 * 60_000)),
      step: '60000ms',
    });
    assert.equal(r.body.data.resultType, 'matrix');
    const series = Object.fromEntries(
      r.body.data.result.map((s: { metric: { event_name: string }; values: Array<[number, string]> }) => [s.metric.event_name, s.values]),
    );
    // 6000 records 100 ms apart from t0: 600 per minute, half of each type; (t-1m, t]
    assert.deepEqual(series['hmx.node.joined'][0], [(t0 + 60_000) / 1000, '300']);
    assert.equal(series['hmx.node.joined'].length, 10);
    const tooFine = await query(loki, '/loki/api/v1/query_range', {
      query: 'count_over_time({service_name="hmx-collector"} [1m])',
      start: String(ns(t0)),
      end: String(ns(NOW_MS)),
      step: '0.1',
    });
    assert.equal(tooFine.status, 400);
    assert.match(tooFine.body, /exceeded maximum resolution of 11,000 points/);
  });

  it('rejects log queries as instant queries and bad LogQL with a parse error', async () => {
    const instant = await query(loki, '/loki/api/v1/query', { query: '{service_name="hmx-collector"}' });
    assert.equal(instant.status, 400);
    assert.match(instant.body, /log queries are not supported as an instant query type/);
    const bad = await query(loki, '/loki/api/v1/query_range', { query: '{service_name="x"' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /^parse error at line 1, col/);
    const dir = await query(loki, '/loki/api/v1/query_range', { query: '{service_name="x"}', direction: 'sideways' });
    assert.equal(dir.body, "invalid direction 'sideways'");
  });

  it('discards lines over max_line_size (256 KB) at push and keeps the valid ones', async () => {
    const at = NOW_MS - 60_000;
    const res = await push(loki, [otlpRecord(at, 'keyframe', 9001, 'x'.repeat(256 * 1024 + 1)), otlpRecord(at + 1, 'keyframe', 9002, 'small')]);
    assert.equal(res.status, 400);
    assert.match(
      await res.text(),
      /max entry size '262144' bytes exceeded for stream '\{service_name="hmx-collector"\}' while adding an entry with length '262145' bytes/,
    );
    const r = await query(
      loki,
      '/loki/api/v1/query_range',
      { query: '{service_name="hmx-collector"} | event_name="hmx.keyframe"', start: String(ns(at)), end: String(ns(NOW_MS)) },
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    );
    assert.deepEqual(
      r.body.data.result[0].values.map((v: string[]) => v[1]),
      ['small'],
    );
  });

  it('takes gzip- and deflate-encoded pushes (the OTel Collector gzips by default) and refuses other encodings with 415', async () => {
    const at = NOW_MS - 50_000;
    const body = (seq: number) => JSON.stringify(otlpBody([otlpRecord(at + seq, 'audit', seq, `enc-${seq}`)]));
    const send = (encoding: string, data: Buffer | string) =>
      fetch(`${loki.url}/otlp/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: typeof data === 'string' ? data : new Uint8Array(data),
      });
    assert.equal((await send('gzip', gzipSync(body(9101)))).status, 204);
    assert.equal((await send('deflate', deflateSync(body(9102)))).status, 204);
    const refused = await send('br', body(9103));
    assert.equal(refused.status, 415);
    assert.match(await refused.text(), /unsupported content encoding 'br'/);
    assert.equal((await send('gzip', 'not gzip')).status, 400);
    const r = await query(
      loki,
      '/loki/api/v1/query_range',
      { query: '{service_name="hmx-collector"} | event_name="hmx.audit"', start: String(ns(at)), end: String(ns(NOW_MS)) },
      { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
    );
    assert.deepEqual(r.body.data.result[0].values.map((v: string[]) => v[1]).sort(), ['enc-9101', 'enc-9102']);
  });

  it('rejects samples older than reject_old_samples_max_age (1 week)', async () => {
    const res = await push(loki, [otlpRecord(NOW_MS - 8 * 86_400_000, 'node.joined', 1, '{}')]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /has timestamp too old/);
  });
});
