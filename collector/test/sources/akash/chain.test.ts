// Chain scenarios against the fake CometBFT node: counts by state, leases opening and closing over blocks, bids won and lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { QueryLeasesRequest, QueryLeasesResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { ChainClient } from '../../../src/sources/akash/chain-client.js';
import { RpcStats } from '../../../src/sources/akash/rpc-stats.js';
import { TopologyState } from '../../../src/topology/state.js';
import { akashSource } from '../../../src/sources/akash/index.js';
import { createTestContext } from '../../support/context.js';
import { FakeComet } from './fake-comet.js';
import { collectSettled, assertDeclared, config, OTHER, PROVIDER, seedMarket, TENANT, value } from './helpers.js';

let chain: FakeComet;
before(async () => {
  chain = await new FakeComet().start();
});
after(() => chain.stop());

const lease = (dseq: number, owner = TENANT) => `akash:${owner}/${dseq}/1/1`;

test('leases open and close over blocks; bids are won and lost; metrics and lifecycle are exact', async () => {
  seedMarket(chain);
  const source = akashSource.create(config({ rpcUrl: chain.url, chainId: 'akashnet-2', name: 'provider.example.test' }));
  const ctx = createTestContext({ emitter: 'akash@test' });
  const signal = new AbortController().signal;

  // Block 100: the provider joins with its one active lease.
  const first = (await collectSettled(source, ctx, signal)).observations ?? [];
  assertDeclared(first);
  assert.equal(value(first, 'hmx.akash.chain.height', { 'akash.chain_id': 'akashnet-2' }), 100);
  assert.equal(value(first, 'hmx.akash.chain.block.time'), Date.parse(chain.blockTime(100)) / 1000);
  assert.deepEqual(
    ['active', 'insufficient_funds', 'closed'].map((s) => value(first, 'hmx.akash.leases', { 'akash.provider': PROVIDER, 'akash.lease.state': s })),
    [1, 0, 1],
  );
  assert.deepEqual(
    ['open', 'active', 'lost', 'closed'].map((s) => value(first, 'hmx.akash.bids', { 'akash.bid.state': s })),
    [2, 1, 0, 0],
  );
  assert.equal(value(first, 'hmx.akash.orders', { 'akash.order.state': 'open' }), 2);
  assert.equal(value(first, 'hmx.akash.rpc.up'), 1);
  assert.equal(value(first, 'hmx.akash.stale', { 'akash.part': 'chain' }), 0);
  assert.equal(value(first, 'hmx.akash.rpc.requests', { 'rpc.method': 'status', 'akash.rpc.outcome': 'ok' }), 1);
  assert.equal(value(first, 'hmx.akash.rpc.requests', { 'rpc.method': 'abci_query', 'akash.rpc.outcome': 'ok' }), 8);
  assert.ok(value(first, 'hmx.akash.rpc.latency', { 'rpc.method': 'abci_query' }) > 0);
  const durations = ctx.frames.flatMap((f) => f.measurements ?? []).filter((m) => m.metric === 'rpc.client.call.duration');
  assert.equal(durations.length, 9, 'every request measured once, in the semconv histogram');
  assert.deepEqual(durations[0]?.attributes, { 'rpc.system.name': 'jsonrpc', 'rpc.method': 'status', 'server.address': '127.0.0.1' });
  assert.equal(
    first.some((o) => o.metric === 'hmx.akash.provider.up'),
    false,
    'no gateway configured, no provider.up',
  );

  const node = { id: `akash:${PROVIDER}`, kind: 'akash-provider', layer: 'akash', name: 'provider.example.test' };
  assert.deepEqual(
    ctx.records.map((r) => [r.type, 'actor' in r ? r.actor.id : 'node' in r ? r.node.id : '']),
    [
      ['node.joined', node.id],
      ['actor.spawned', lease(10)],
    ],
  );
  const spawned = ctx.records[1]!;
  assert.equal(spawned.type, 'actor.spawned');
  if (spawned.type === 'actor.spawned') {
    assert.deepEqual(spawned.actor, { id: lease(10), kind: 'akash-lease', layer: 'akash', name: '10/1/1', node: node.id });
    assert.equal(spawned.attributes?.['akash.price.amount'], '1.5');
    assert.equal(spawned.attributes?.['akash.lease.created_height'], 90);
  }

  // Blocks 101–105: the bid on order 20 wins (lease at 103), the bid on order 30 loses, the tenant closes lease 10 at 104.
  chain.bids[1]!.state = 'active';
  chain.leases.push({
    owner: TENANT,
    dseq: 20,
    gseq: 1,
    oseq: 1,
    provider: PROVIDER,
    bseq: 0,
    state: 'active',
    createdAt: 103,
    closedOn: 0,
    reason: 'lease_closed_invalid',
    price: '2250000000000000000',
  });
  chain.bids[2]!.state = 'lost';
  Object.assign(chain.leases[0]!, { state: 'closed', closedOn: 104, reason: 'lease_closed_owner' });
  chain.bids[0]!.state = 'closed';
  chain.orders[0]!.state = 'active';
  chain.orders[1]!.state = 'closed';
  chain.orders[2]!.state = 'closed';
  chain.height = 105;
  ctx.records.length = 0;

  const second = (await collectSettled(source, ctx, signal)).observations ?? [];
  assertDeclared(second);
  assert.equal(value(second, 'hmx.akash.chain.height'), 105);
  assert.deepEqual(
    ['active', 'insufficient_funds', 'closed'].map((s) => value(second, 'hmx.akash.leases', { 'akash.lease.state': s })),
    [1, 0, 2],
  );
  assert.deepEqual(
    ['open', 'active', 'lost', 'closed'].map((s) => value(second, 'hmx.akash.bids', { 'akash.bid.state': s })),
    [0, 1, 1, 1],
  );
  assert.equal(value(second, 'hmx.akash.orders', { 'akash.order.state': 'open' }), 0);

  assert.deepEqual(
    ctx.records.map((r) => [r.type, r.time, 'actor' in r ? r.actor.id : 'subject' in r ? r.subject : '']),
    [
      ['audit', chain.blockTime(105), lease(20)],
      ['audit', chain.blockTime(105), lease(30, OTHER)],
      ['actor.exited', chain.blockTime(104), lease(10)],
      ['actor.spawned', chain.blockTime(103), lease(20)],
    ],
  );
  const [won, lost, exited] = ctx.records;
  assert.ok(won?.type === 'audit' && lost?.type === 'audit' && exited?.type === 'actor.exited');
  assert.equal(won.message, `bid won: order ${TENANT}/20/1/1 bseq 0 at 2.25 uakt/block`);
  assert.equal(won.severity, 'info');
  assert.equal(won.attributes?.['akash.bid.outcome'], 'won');
  assert.equal(lost.message, `bid lost: order ${OTHER}/30/1/1 bseq 0 at 3 uakt/block`);
  assert.equal(lost.attributes?.['akash.bid.outcome'], 'lost');
  assert.equal(exited.reason, 'closed: lease_closed_owner');
  assert.equal(exited.attributes?.['akash.lease.closed_height'], 104);
  assert.deepEqual(ctx.invalid, []);

  // Nothing changed at block 106: no events.
  chain.height = 106;
  ctx.records.length = 0;
  await collectSettled(source, ctx, signal);
  assert.deepEqual(ctx.records, []);
  await source.stop?.();
});

test('the emitted records build the expected topology in the real state model', async () => {
  seedMarket(chain);
  chain.height = 100;
  const source = akashSource.create(config({ rpcUrl: chain.url }));
  const ctx = createTestContext({ emitter: 'akash@state' });
  const signal = new AbortController().signal;
  await collectSettled(source, ctx, signal);
  Object.assign(chain.leases[0]!, { state: 'insufficient_funds', closedOn: 101, reason: 'lease_closed_reason_insufficient_funds' });
  chain.height = 101;
  await collectSettled(source, ctx, signal);

  const state = new TopologyState();
  for (const r of ctx.records) assert.equal(state.apply(r).applied, true, `${r.type} applied`);
  assert.equal(state.nodes.get(`akash:${PROVIDER}`)?.state, 'up');
  const actor = state.actors.get(lease(10));
  assert.equal(actor?.state, 'exited');
  assert.equal(actor?.reason, 'insufficient_funds');
  assert.equal(state.actors.size, 1);
});

test('pagination: every page of a large active set is read and counted', async () => {
  seedMarket(chain);
  chain.height = 100;
  for (let d = 1000; d < 1025; d++) {
    chain.leases.push({
      owner: TENANT,
      dseq: d,
      gseq: 1,
      oseq: 1,
      provider: PROVIDER,
      bseq: 0,
      state: 'active',
      createdAt: 50,
      closedOn: 0,
      reason: 'lease_closed_invalid',
      price: '1',
    });
  }
  const source = akashSource.create(config({ rpcUrl: chain.url, pageLimit: 10 }));
  const ctx = createTestContext();
  const obs = (await collectSettled(source, ctx, new AbortController().signal)).observations ?? [];
  assert.equal(value(obs, 'hmx.akash.leases', { 'akash.lease.state': 'active' }), 26);
  assert.equal(ctx.records.filter((r) => r.type === 'actor.spawned').length, 26);
});

test('a chain that does not serve akash.market.v1beta5 is named as unsupported', async () => {
  // The fake answers unknown paths like baseapp does; an older chain is simulated by asking for the v1beta4 service.
  const client = new ChainClient(chain.url, 5000, new RpcStats(5, '127.0.0.1'));
  await assert.rejects(
    client.abci('/akash.market.v1beta4.Query/Leases', QueryLeasesRequest, QueryLeasesResponse, QueryLeasesRequest.fromPartial({}), 100),
    (err: Error & { kind?: string }) =>
      err.kind === 'unsupported_chain' && /unknown query path.*supported: Akash node v1\.x\/v2\.x \(akash\.market\.v1beta5\)/.test(err.message),
  );
});

test('a lease or bid the node no longer knows exits or closes with a clear reason', async () => {
  seedMarket(chain);
  chain.height = 100;
  const source = akashSource.create(config({ rpcUrl: chain.url }));
  const ctx = createTestContext();
  const signal = new AbortController().signal;
  await collectSettled(source, ctx, signal);
  chain.leases.splice(0, 1);
  chain.bids.splice(1, 1);
  chain.height = 101;
  ctx.records.length = 0;
  await collectSettled(source, ctx, signal);
  assert.deepEqual(
    ctx.records.map((r) => [r.type, r.type === 'actor.exited' ? r.reason : r.type === 'audit' ? r.message : '']),
    [
      ['audit', `bid closed: ${TENANT}/20/1/1/0 is no longer on chain`],
      ['actor.exited', 'lease no longer on chain'],
    ],
  );
});
