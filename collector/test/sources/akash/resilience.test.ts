// Stale serving: a slow, failing or corrupt RPC never replaces the last good values; they are served marked stale.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { Observation } from '../../../src/core/observation.js';
import type { Source } from '../../../src/core/source.js';
import { akashSource } from '../../../src/sources/akash/index.js';
import { RpcStats } from '../../../src/sources/akash/rpc-stats.js';
import { createTestContext, type TestContext } from '../../support/context.js';
import { FakeComet, type Fault } from './fake-comet.js';
import { collectSettled, assertDeclared, config, seedMarket, value } from './helpers.js';

let chain: FakeComet;
before(async () => {
  chain = await new FakeComet().start();
});
after(() => chain.stop());
beforeEach(() => {
  seedMarket(chain);
  chain.height = 100;
  chain.fault = undefined;
});

const signal = new AbortController().signal;
const snapshot = (obs: Observation[]) => ({
  height: value(obs, 'hmx.akash.chain.height'),
  active: value(obs, 'hmx.akash.leases', { 'akash.lease.state': 'active' }),
  open: value(obs, 'hmx.akash.bids', { 'akash.bid.state': 'open' }),
  orders: value(obs, 'hmx.akash.orders', { 'akash.order.state': 'open' }),
});
const GOOD = { height: 100, active: 1, open: 2, orders: 2 };

/** A loaded test machine can itself exceed a small threshold: collect until the chain part is fresh (at most 5 tries). */
async function freshCollect(source: Source, ctx: TestContext): Promise<Observation[]> {
  let obs: Observation[] = [];
  for (let i = 0; i < 5; i++) {
    obs = (await collectSettled(source, ctx, signal).catch(() => ({ observations: [] }))).observations ?? [];
    if (obs.some((o) => o.metric === 'hmx.akash.stale' && o.attributes?.['akash.part'] === 'chain' && o.value === 0)) break;
  }
  return obs;
}

/** The market changes at block 101, so a read that got through would show it. */
function changeMarket(): void {
  chain.height = 101;
  chain.bids[1]!.state = 'lost';
  chain.orders[0]!.state = 'closed';
}

test('RPC slower than the threshold: measured in full; the cache is served stale while the read runs late; its answer is served when it comes', async () => {
  const source = akashSource.create(config({ rpcUrl: chain.url, rpcLatencyThresholdMs: 300, rpcTimeoutMs: 10_000, maxBackoffCycles: 0 }));
  const ctx = createTestContext();
  const good = await freshCollect(source, ctx);
  assert.deepEqual(snapshot(good), GOOD);

  changeMarket();
  chain.fault = { kind: 'slow', ms: 800 };
  await source.collect(ctx, signal); // starts the slow read and answers from the cache without waiting for it
  await new Promise((r) => setTimeout(r, 500)); // the read (≥ 4 round trips of 800 ms) is now past the 300 ms threshold
  const late = (await source.collect(ctx, signal)).observations ?? [];
  assertDeclared(late);
  assert.deepEqual(snapshot(late), GOOD, 'the last good values, while the read runs');
  assert.equal(value(late, 'hmx.akash.stale', { 'akash.part': 'chain' }), 1);
  assert.equal(value(late, 'hmx.akash.rpc.up'), 0);
  assert.equal(value(late, 'hmx.akash.rpc.slow'), 1, 'a request in flight beyond the threshold is slow already');
  assert.equal(source.freshness?.(Date.now())?.parts?.chain?.state, 'stale');

  await source.idle?.();
  await new Promise((r) => setImmediate(r));
  const answered = ctx.frames.at(-1)?.observations ?? [];
  assert.deepEqual(snapshot(answered), { height: 101, active: 1, open: 1, orders: 1 }, 'a slow answer is still an answer');
  assert.ok(value(answered, 'hmx.akash.rpc.latency', { 'rpc.method': 'status' }) >= 0.8, 'the real latency, not cut at the threshold');
  assert.equal(value(answered, 'hmx.akash.rpc.slow'), 1, 'the last round trip was over the threshold');
  const measured = ctx.frames
    .flatMap((f) => f.measurements ?? [])
    .filter((m) => m.attributes?.['rpc.method'] === 'status')
    .map((m) => m.value);
  assert.ok(Math.max(...measured) >= 0.8, `the histogram gets the full round trip (${measured.join(', ')})`);

  chain.fault = undefined;
  const recovered = await freshCollect(source, ctx);
  assert.equal(value(recovered, 'hmx.akash.stale', { 'akash.part': 'chain' }), 0);
  assert.equal(value(recovered, 'hmx.akash.rpc.up'), 1);
  assert.equal(value(recovered, 'hmx.akash.rpc.slow'), 0);
  await source.stop?.();
});

const corrupt: [string, Fault, string][] = [
  ['a body that is not JSON', { kind: 'garbage-json' }, 'json'],
  ['ABCI values that are not protobuf', { kind: 'garbage-protobuf' }, 'protobuf'],
  ['a status with a non-numeric height', { kind: 'wrong-types' }, 'schema'],
  ["a lease of another provider in the provider's listing", { kind: 'foreign-lease' }, 'schema'],
];
for (const [what, fault, kind] of corrupt) {
  test(`RPC returning ${what} is rejected as ${kind}, counted, and never replaces good values`, async () => {
    const source = akashSource.create(config({ rpcUrl: chain.url, maxBackoffCycles: 0 }));
    const ctx = createTestContext();
    await collectSettled(source, ctx, signal);
    const records = ctx.records.length;
    changeMarket();
    chain.fault = fault;
    const bad = (await collectSettled(source, ctx, signal)).observations ?? [];
    assert.deepEqual(snapshot(bad), GOOD);
    assert.equal(value(bad, 'hmx.akash.stale', { 'akash.part': 'chain' }), 1);
    assert.equal(value(bad, 'hmx.akash.read.failures', { 'akash.part': 'chain', 'error.type': kind }), 1);
    assert.equal(bad.filter((o) => o.metric === 'hmx.akash.read.failures').length, 1, 'one failure, of one kind');
    assert.equal(ctx.records.length, records);
    assert.deepEqual(ctx.invalid, []);

    chain.fault = undefined;
    const healed = (await collectSettled(source, ctx, signal)).observations ?? [];
    assert.equal(value(healed, 'hmx.akash.chain.height'), 101);
    assert.equal(value(healed, 'hmx.akash.stale', { 'akash.part': 'chain' }), 0);
  });
}

test('a failing RPC is backed off by skipping collections (1, 3, … up to maxBackoffCycles), then recovers by itself', async () => {
  const source = akashSource.create(config({ rpcUrl: chain.url, maxBackoffCycles: 3 }));
  const ctx = createTestContext();
  await collectSettled(source, ctx, signal);
  chain.fault = { kind: 'down' };
  const tried: boolean[] = [];
  for (let i = 0; i < 7; i++) {
    const before = chain.calls.length;
    const obs = (await collectSettled(source, ctx, signal)).observations ?? [];
    assert.equal(value(obs, 'hmx.akash.stale', { 'akash.part': 'chain' }), 1);
    assert.equal(value(obs, 'hmx.akash.chain.height'), 100);
    tried.push(chain.calls.length > before);
    if (i === 5) chain.fault = undefined; // the node is back, but the part is still sitting out
  }
  // failure 1: no skip; failure 2: skip 1; failure 3: skip 3 (the cap)
  assert.deepEqual(tried, [true, true, false, true, false, false, false]);
  const back = (await collectSettled(source, ctx, signal)).observations ?? [];
  assert.equal(value(back, 'hmx.akash.stale', { 'akash.part': 'chain' }), 0);
  assert.equal(value(back, 'hmx.akash.read.failures', { 'akash.part': 'chain', 'error.type': 'http' }), 3);
  assert.ok(chain.calls.length > 0);
});

test('with nothing ever read, collect() throws a clear error so the scheduler retries', async () => {
  const closed = await new FakeComet().start();
  await closed.stop();
  const source = akashSource.create(config({ rpcUrl: closed.url }));
  await assert.rejects(source.collect(createTestContext(), signal), /akash: nothing to serve yet: RPC status: unreachable \(ECONNREFUSED\)/);
});

test('rpc.slow follows the round trip that completed last; a request still out past the threshold is slow already', async () => {
  const stats = new RpcStats(0.05, '127.0.0.1');
  const measured: number[] = [];
  stats.onMeasurement = (m) => measured.push(m.value);
  const block = stats.begin('block');
  await new Promise((r) => setTimeout(r, 80)); // at least 80 ms: over the 50 ms threshold whatever the load
  block();
  assert.equal(stats.slow(), true);
  stats.begin('status')(); // settles at once
  assert.equal(stats.slow(), false, 'cleared by a later fast call, though block is not called again');
  const pending = stats.begin('abci_query');
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(stats.slow(), true);
  pending('timeout');
  // Timers may fire a little before their delay by the monotonic clock: the point is "over the threshold", in full.
  assert.ok(measured[0]! > 0.05 && measured.length === 3, 'every request measured in full');
});
