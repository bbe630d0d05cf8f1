// `node --import tsx test-browser/storedFixture.mts [--days 7 --nodes 100 --actors-per-node 100 …]`: the
// stored-data backends for the browser tests and the bench — the fake Loki and the fake /api/ds/query
// (in this process, 127.0.0.1), a generated history pushed to Loki as OTLP/JSON the way the OTel Collector
// delivers it, and the generator's own truth at seeded random instants written to a JSON file. Prints
// one line: {"grafana": url, "loki": url, "truth": file, …}. Stops on SIGTERM.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeLoki } from '../../test/support/fake-loki/server.js';
import { startFakeGrafana } from '../../test/support/fake-grafana/server.js';
import { generateHistory, StoredRecord } from '../src/fixtures/history';
import { rng } from '../src/fixtures/random';
import { otlpLogsRequest } from '../src/fixtures/otlpLogs';

const { values: a } = parseArgs({
  options: {
    'now-ms': { type: 'string', default: '1800000000000' },
    days: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '10' },
    'actors-per-node': { type: 'string', default: '10' },
    'changes-per-hour': { type: 'string', default: '600' },
    'keyframe-minutes': { type: 'string', default: '10' },
    'node-failures-per-day': { type: 'string', default: '0' },
    instants: { type: 'string', default: '20' },
    seed: { type: 'string', default: '11' },
    'drop-part-at-hours-ago': { type: 'string' },
  },
});
function num(name: keyof typeof a): number {
  const v = Number(a[name]);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`--${name}: expected a non-negative number, got '${a[name]}'`);
    process.exit(2);
  }
  return v;
}
const NOW = num('now-ms');
const HOUR = 3_600_000;
const t0 = Date.now();
const h = generateHistory({
  seed: num('seed'),
  now: NOW,
  durationMs: num('days') * 24 * HOUR,
  nodes: num('nodes'),
  actorsPerNode: num('actors-per-node'),
  changesPerHour: num('changes-per-hour'),
  keyframeMs: num('keyframe-minutes') * 60_000,
  nodeFailuresPerDay: num('node-failures-per-day'),
  partSize: Number.MAX_SAFE_INTEGER,
});
const genMs = Date.now() - t0;
let records: StoredRecord[] = h.records;
if (a['drop-part-at-hours-ago'] !== undefined) {
  const at = h.keyframeTimes.reduce((best, t) =>
    Math.abs(t - (NOW - num('drop-part-at-hours-ago') * HOUR)) <
    Math.abs(best - (NOW - num('drop-part-at-hours-ago') * HOUR))
      ? t
      : best
  );
  records = records.filter((r) => !(r.ms === at && r.eventName === 'hmx.keyframe' && r.line.includes('"index":1,')));
}

const loki = await startFakeLoki({ nowNs: () => BigInt(NOW) * 1_000_000n });
const grafana = await startFakeGrafana({ datasources: { loki: { type: 'loki', url: loki.url } } });

// OTLP/JSON export requests of at most ~4 MB, as the collector's batches arrive
const t1 = Date.now();
let batch: StoredRecord[] = [];
let bytes = 0;
const flush = async () => {
  if (batch.length === 0) {
    return;
  }
  const res = await fetch(`${loki.url}/otlp/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: otlpLogsRequest(batch),
  });
  if (res.status !== 204) {
    throw new Error(`push refused: ${res.status} ${(await res.text()).slice(0, 500)}`);
  }
  batch = [];
  bytes = 0;
};
for (const r of records) {
  batch.push(r);
  bytes += r.line.length;
  if (bytes > 4_000_000) {
    await flush();
  }
}
await flush();
const pushMs = Date.now() - t1;

// truth at seeded instants, per entity (nodes, then actors, in generation order): 'R' running or up, 'E' exited or
// failed, 'U' unknown (running when its node failed), '-' not yet there
const r = rng(num('seed') + 1);
const span = num('days') * 24 * HOUR;
const nodeIds = [...h.nodesAt(NOW - span).keys()];
const actorIds = [...h.truthAt(NOW - span).keys()];
const CODE = { running: 'R', exited: 'E', unknown: 'U', up: 'R', failed: 'E' } as const;
const instants = Array.from({ length: num('instants') }, () => {
  const t = Math.floor(NOW - span + 1 + r() * (span - 1));
  const actors = h.truthAt(t);
  const nodes = h.nodesAt(t);
  return {
    t,
    states:
      nodeIds.map((id) => CODE[nodes.get(id) ?? 'up']).join('') +
      actorIds.map((id) => (actors.has(id) ? CODE[actors.get(id)!.state] : '-')).join(''),
    restarts: [...nodeIds.map(() => 0), ...actorIds.map((id) => actors.get(id)?.restarts ?? 0)],
  };
});
const truthFile = join(tmpdir(), `hmx-stored-truth-${process.pid}.json`);
writeFileSync(truthFile, JSON.stringify({ entityIds: [...nodeIds, ...actorIds], nodes: nodeIds.length, instants }));
console.log(
  JSON.stringify({
    grafana: grafana.url,
    loki: loki.url,
    truth: truthFile,
    now: NOW,
    from: NOW - span,
    records: records.length,
    keyframes: h.keyframeTimes.length,
    lokiEntries: loki.store.entryCount,
    generateMs: genMs,
    pushMs,
  })
);
process.on('SIGTERM', () => void Promise.all([grafana.close(), loki.close()]).then(() => process.exit(0)));
