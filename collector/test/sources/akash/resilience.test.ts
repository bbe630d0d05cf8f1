// Stale serving: a slow, failing or corrupt RPC never replaces the last good values; they are served marked stale.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { Observation } from '../../../src/core/observation.js';
import type { Source, SourceContext } from '../../../src/core/source.js';
import { akashSource } from '../../../src/sources/akash/index.js';
import { createTestContext } from '../../support/context.js';
import { FakeComet, type Fault } from './fake-comet.js';
import { assertDeclared, config, seedMarket, value } from './helpers.js';

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
async function freshCollect(source: Source, ctx: SourceContext): Promise<Observation[]> {
  let obs: Observation[] = [];
  for (let i = 0; i < 5; i++) {
    obs = (await source.collect(ctx, signal).catch(() => ({ observations: [] }))).observations ?? [];
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

test('RPC slower than the threshold: last good values served with stale=1, then recovery on its own', async () => {
  const source = akashSource.create(config({ rpcUrl: chain.url, rpcLatencyThresholdMs: 1500, maxBackoffCycles: 0 }));
  const ctx = createTestContext();
  const good = await freshCollect(source, ctx);
  assert.deepEqual(snapshot(good), GOOD);
  const records = ctx.records.length;

  changeMarket();
  chain.fault = { kind: 'slow', ms: 6000 };
  const slow = (await source.collect(ctx, signal)).observations ?? [];
  assertDeclared(slow);
  assert.deepEqual(snapshot(slow), GOOD);
  assert.equal(value(slow, 'hmx.akash.stale', { 'akash.part': 'chain' }), 1);
  assert.equal(value(slow, 'hmx.akash.rpc.up'), 0);
  assert.ok(value(slow, 'hmx.akash.read.failures', { 'akash.part': 'chain', 'error.type': 'timeout' }) >= 1);
  assert.ok(value(slow, 'hmx.akash.rpc.requests', { 'rpc.method': 'status', 'akash.rpc.outcome': 'error' }) >= 1);
  assert.ok(value(slow, 'hmx.akash.rpc.latency', { 'rpc.method': 'status' }) >= 1.5, 'the abandoned request is recorded at the threshold or later');
  assert.ok(value(slow, 'hmx.akash.data.age', { 'akash.part': 'chain' }) >= 0);
  assert.equal(ctx.records.length, records, 'no lifecycle from a failed read');

  chain.fault = undefined;
  const recovered = await freshCollect(source, ctx);
  assert.deepEqual(snapshot(recovered), { height: 101, active: 1, open: 1, orders: 1 });
  assert.equal(value(recovered, 'hmx.akash.stale', { 'akash.part': 'chain' }), 0);
  assert.equal(value(recovered, 'hmx.akash.rpc.up'), 1);
  assert.equal(ctx.records.at(-1)?.type, 'audit', 'the lost bid is reported once the chain is readable again');
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
    await source.collect(ctx, signal);
    const records = ctx.records.length;
    changeMarket();
    chain.fault = fault;
    const bad = (await source.collect(ctx, signal)).observations ?? [];
    assert.deepEqual(snapshot(bad), GOOD);
    assert.equal(value(bad, 'hmx.akash.stale', { 'akash.part': 'chain' }), 1);
    assert.equal(value(bad, 'hmx.akash.read.failures', { 'akash.part': 'chain', 'error.type': kind }), 1);
    assert.equal(bad.filter((o) => o.metric === 'hmx.akash.read.failures').length, 1, 'one failure, of one kind');
    assert.equal(ctx.records.length, records);
    assert.deepEqual(ctx.invalid, []);

    chain.fault = undefined;
    const healed = (await source.collect(ctx, signal)).observations ?? [];
    assert.equal(value(healed, 'hmx.akash.chain.height'), 101);
    assert.equal(value(healed, 'hmx.akash.stale', { 'akash.part': 'chain' }), 0);
  });
}

test('a failing RPC is backed off by skipping collections (1, 3, … up to maxBackoffCycles), then recovers by itself', async () => {
  const source = akashSource.create(config({ rpcUrl: chain.url, maxBackoffCycles: 3 }));
  const ctx = createTestContext();
  await source.collect(ctx, signal);
  chain.fault = { kind: 'down' };
  const tried: boolean[] = [];
  for (let i = 0; i < 7; i++) {
    const before = chain.calls.length;
    const obs = (await source.collect(ctx, signal)).observations ?? [];
    assert.equal(value(obs, 'hmx.akash.stale', { 'akash.part': 'chain' }), 1);
    assert.equal(value(obs, 'hmx.akash.chain.height'), 100);
    tried.push(chain.calls.length > before);
    if (i === 5) chain.fault = undefined; // the node is back, but the part is still sitting out
  }
  // failure 1: no skip; failure 2: skip 1; failure 3: skip 3 (the cap)
  assert.deepEqual(tried, [true, true, false, true, false, false, false]);
  const back = (await source.collect(ctx, signal)).observations ?? [];
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
