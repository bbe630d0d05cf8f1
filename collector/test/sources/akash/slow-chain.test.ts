// Akash under a slow or failing chain, through a real collector built by the real config loader:
// /status says fresh, stale or failing with the data's age; /metrics carries the full RPC latency and the threshold
// as a condition; the gateway is read on its own cadence; a recovery never re-spawns a lease that closed meanwhile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collector } from '../../../src/app.js';
import type { DataFreshness } from '../../../src/core/health.js';
import { pollUntil } from '../../../../test/support/wait.js';
import { testCollector } from '../../support/collector.js';
import { FakeComet } from './fake-comet.js';
import { providerStatus } from './fake-gateway.js';
import { PROVIDER, TENANT } from './helpers.js';
import { useMarketFixture } from './market-fixture.js';

const m = useMarketFixture();

/** The schedule docs/sources/akash.md recommends, shortened: a 20 s timeout over a 250 ms interval. */
const start = (akash: object = {}) =>
  testCollector({
    sources: {
      akash: {
        enabled: true,
        interval: '250ms',
        timeout: '20s',
        rpcUrl: m.chain.url,
        provider: PROVIDER,
        gatewayUrl: m.gateway.url,
        gatewayCertSha256: m.cert.fingerprint256,
        rpcLatencyThresholdMs: 400,
        rpcTimeoutMs: 15_000,
        maxBackoffCycles: 0,
        providerFailAfter: 2,
        ...akash,
      },
    },
  });

const akashData = async (c: Collector) =>
  ((await (await fetch(`${c.url}/status`)).json()) as { sources: { akash: { state: string; data: DataFreshness } } }).sources.akash;
const until = <T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 15_000) => pollUntil(attempt, { what, timeoutMs, intervalMs: 50 });
const metricsText = async (c: Collector) => (await fetch(`${c.url}/metrics`)).text();
/** Value of the one sample of `name` whose label set contains every `labels` pair. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  const hit = lines.filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return hit.length === 1 ? Number(hit[0]!.slice(hit[0]!.lastIndexOf(' ') + 1)) : undefined;
}

test('a slow chain: /status stale with its age, the provider still fresh and read on its own; the full latency in the histogram', async () => {
  const c = await start();
  try {
    await until('akash fresh', async () => ((await akashData(c)).data.state === 'fresh' ? true : undefined));

    m.chain.fault = { kind: 'slow', ms: 1500 }; // every round trip 1.5 s, the threshold 0.4 s: one read takes ≥ 6 s
    const statusCalls = () => m.chain.calls.filter((m) => m === 'status').length;
    const callsBefore = statusCalls();
    const stale = await until('chain stale', async () => {
      const a = await akashData(c);
      return a.data.parts?.chain?.state === 'stale' ? a : undefined;
    });
    assert.equal(stale.state, 'ok', 'the scheduler still collects (from the cache)…');
    assert.equal(stale.data.state, 'stale', '…and /status says the values are stale');
    assert.equal(stale.data.parts?.provider?.state, 'fresh');
    assert.equal(typeof stale.data.parts?.chain?.age_seconds, 'number');
    const text = await metricsText(c);
    assert.equal(sample(text, 'hmx_collector_source_data_state', { hmx_source: 'akash', hmx_data_state: 'stale' }), 1);
    assert.equal(sample(text, 'hmx_collector_source_data_state', { hmx_source: 'akash', hmx_data_state: 'fresh' }), 0);
    // The source's samples are refreshed by its next collection (one interval at most).
    await until('hmx_akash_rpc_slow 1 while the request is still out', async () =>
      sample(await metricsText(c), 'hmx_akash_rpc_slow') === 1 ? true : undefined,
    );

    // The gateway keeps its own cadence while the one chain read is still out: a corrupt body is seen at once.
    const requestsBefore = m.gateway.requests;
    m.gateway.body = '{"cluster": {';
    const corrupt = await until('provider stale from the corrupt body', async () => {
      const a = await akashData(c);
      return a.data.parts?.provider?.state === 'stale' ? a : undefined;
    });
    assert.match(corrupt.data.parts?.provider?.error ?? '', /not JSON/);
    m.gateway.body = JSON.stringify(providerStatus(PROVIDER));
    await until('provider fresh again', async () => ((await akashData(c)).data.parts?.provider?.state === 'fresh' ? true : undefined));
    assert.ok(m.gateway.requests - requestsBefore >= 2, `the gateway was read ${m.gateway.requests - requestsBefore} times meanwhile`);
    assert.ok(statusCalls() - callsBefore <= 1, 'while a single chain read was in flight');

    // The slow read ends: its round trips are in the histogram at their full length, above the 0.4 s threshold.
    const over = await until('a status round trip in the histogram', async () => {
      const m = await metricsText(c);
      // The local exporter writes histograms without the unit suffix (Prometheus via OTLP adds _seconds).
      const count = sample(m, 'rpc_client_call_duration_count', { rpc_method: 'status' });
      const fast = sample(m, 'rpc_client_call_duration_bucket', { rpc_method: 'status', le: '1' });
      return count !== undefined && fast !== undefined && count > fast ? count - fast : undefined;
    });
    assert.ok(over >= 1, 'a round trip longer than 1 s was recorded (the old gauge stopped at the threshold)');
  } finally {
    await c.stop();
  }
});

test('a chain that never answered: /status says failing, with no age', async () => {
  const closed = await new FakeComet().start();
  await closed.stop();
  const c = await start({ rpcUrl: closed.url, gatewayUrl: undefined, gatewayCertSha256: undefined });
  try {
    const a = await until('akash failing', async () => {
      const s = await akashData(c);
      return s.data.state === 'failing' ? s : undefined;
    });
    assert.equal(a.data.age_seconds, null);
    assert.match(a.data.parts?.chain?.error ?? '', /unreachable/);
    assert.equal(sample(await metricsText(c), 'hmx_collector_source_data_state', { hmx_source: 'akash', hmx_data_state: 'failing' }), 1);
  } finally {
    await c.stop();
  }
});

test('recovery after a gateway failure never re-spawns a lease from chain data older than the failure', async () => {
  const c = await start();
  const lease = `akash:${TENANT}/10/1/1`;
  const node = `akash:${PROVIDER}`;
  try {
    await until('lease running', async () => (c.topology.state.actors.get(lease)?.state === 'running' ? true : undefined));

    m.chain.fault = { kind: 'down' }; // the chain cache now predates everything that follows
    m.gateway.statusCode = 500;
    await until('node failed', async () => (c.topology.state.nodes.get(node)?.state === 'failed' ? true : undefined));
    // The lease closes on chain while the collector cannot see it.
    Object.assign(m.chain.leases[0]!, { state: 'closed', closedOn: 104, reason: 'lease_closed_owner' });
    m.chain.height = 105;
    m.gateway.statusCode = 200;
    await until('node recovered', async () => (c.topology.state.nodes.get(node)?.state === 'up' ? true : undefined));
    assert.equal(c.topology.state.actors.get(lease)?.state, 'unknown', 'not re-spawned from the stale cache: its fate is unknown');

    m.chain.fault = undefined;
    await until('chain fresh at 105', async () =>
      (await akashData(c)).data.parts?.chain?.state === 'fresh' && sample(await metricsText(c), 'hmx_akash_chain_height') === 105 ? true : undefined,
    );
    const status = (await (await fetch(`${c.url}/status`)).json()) as { topology: { anomalies: Record<string, number> } };
    assert.deepEqual(status.topology.anomalies, {}, 'no exit before its spawn, no other anomaly');
    const recent = c.topology.recentSince(0, 1000).map((e) => e.record);
    const recovered = recent.findIndex((r) => r.type === 'node.recovered');
    assert.ok(recovered > 0);
    const after = recent.slice(recovered).filter((r) => 'actor' in r && r.actor.id === lease);
    assert.deepEqual(
      after.map((r) => r.type),
      ['actor.exited'],
      'the fresh chain read ends it with its own record, never a spawn',
    );
    assert.equal(c.topology.state.actors.get(lease)?.state, 'exited', 'the closed lease is exited');
  } finally {
    await c.stop();
  }
});
