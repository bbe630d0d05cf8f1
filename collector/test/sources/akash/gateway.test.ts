// Provider gateway over HTTPS with a self-signed certificate: pinned by SHA-256, inventory, corrupt bodies, failure and recovery.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { akashSource } from '../../../src/sources/akash/index.js';
import { TopologyState } from '../../../src/topology/state.js';
import { createTestContext } from '../../support/context.js';
import { FakeComet } from './fake-comet.js';
import { providerStatus, selfSignedCertificate, type SelfSigned } from './fake-gateway.js';
import { collectSettled, assertDeclared, config, PROVIDER, TENANT, value } from './helpers.js';
import { useMarketFixture } from './market-fixture.js';

const m = useMarketFixture();
let impostor: SelfSigned;
const signal = new AbortController().signal;
const p = { 'akash.provider': PROVIDER };

before(() => {
  impostor = selfSignedCertificate('provider.example.test');
});

const withGateway = (extra: object = {}) =>
  config({ rpcUrl: m.chain.url, gatewayUrl: m.gateway.url, gatewayCertSha256: m.cert.fingerprint256, maxBackoffCycles: 0, ...extra });

test('the pinned gateway is read: provider up, inventory allocatable vs allocated per node and storage class', async () => {
  const source = akashSource.create(withGateway({ gatewayCertSha256: m.cert.fingerprint256.replace(/:/g, '').toLowerCase() }));
  const obs = (await collectSettled(source, createTestContext(), signal)).observations ?? [];
  assertDeclared(obs);
  assert.equal(value(obs, 'hmx.akash.provider.up', p), 1);
  assert.equal(value(obs, 'hmx.akash.stale', { 'akash.part': 'provider' }), 0);
  assert.equal(value(obs, 'hmx.akash.provider.leases', p), 1);
  assert.equal(value(obs, 'hmx.akash.provider.orders', p), 2);
  assert.equal(value(obs, 'hmx.akash.provider.deployments', p), 1);
  const inv = (resource: string, node = 'node-a') => [
    value(obs, 'hmx.akash.inventory.allocatable', { 'akash.node': node, 'akash.resource': resource }),
    value(obs, 'hmx.akash.inventory.allocated', { 'akash.node': node, 'akash.resource': resource }),
  ];
  assert.deepEqual(inv('cpu'), [8, 1.5]);
  assert.deepEqual(inv('memory'), [34359738368, 4294967296]);
  assert.deepEqual(inv('gpu'), [1, 0]);
  assert.deepEqual(inv('storage_ephemeral'), [107374182400, 7374182400]);
  assert.deepEqual(inv('storage.beta2', ''), [64424509440, 10737418240]);
  assert.equal(obs.filter((o) => o.metric === 'hmx.akash.inventory.allocatable').length, 5);
  assert.equal(m.gateway.requests, 1);
  await source.stop?.();
});

test('a certificate that does not match the pin is refused before any request, with an error naming both fingerprints', async () => {
  const closed = await new FakeComet().start();
  await closed.stop();
  const source = akashSource.create(config({ rpcUrl: closed.url, gatewayUrl: m.gateway.url, gatewayCertSha256: impostor.fingerprint256 }));
  await assert.rejects(source.collect(createTestContext(), signal), (err: Error) => {
    assert.match(err.message, /gateway certificate refused/);
    assert.ok(err.message.includes(`fingerprint ${m.cert.fingerprint256} does not match the pinned gatewayCertSha256 ${impostor.fingerprint256}`), err.message);
    return true;
  });
  assert.equal(m.gateway.requests, 0, 'no HTTP request reached the impostor');
  await source.stop?.();
});

test('with the chain readable, a pin mismatch shows as provider down with a tls failure', async () => {
  const source = akashSource.create(withGateway({ gatewayCertSha256: impostor.fingerprint256 }));
  const ctx = createTestContext();
  const obs = (await collectSettled(source, ctx, signal)).observations ?? [];
  assert.equal(value(obs, 'hmx.akash.provider.up', p), 0);
  assert.equal(value(obs, 'hmx.akash.read.failures', { 'akash.part': 'provider', 'error.type': 'tls' }), 1);
  assert.equal(
    obs.some((o) => o.metric === 'hmx.akash.inventory.allocatable'),
    false,
    'nothing from an unverified peer',
  );
  assert.equal(m.gateway.requests, 0);
  await source.stop?.();
});

const corrupt: [string, string, string][] = [
  ['truncated JSON', '{"cluster":{"leases":', 'json'],
  ['a string where a quantity belongs', JSON.stringify({ ...providerStatus(PROVIDER), bidengine: { orders: 'many' } }), 'schema'],
  [
    'a negative allocatable',
    JSON.stringify(
      withNode({
        name: 'node-a',
        allocatable: { cpu: -1, gpu: 0, memory: 0, storage_ephemeral: 0 },
        available: { cpu: 0, gpu: 0, memory: 0, storage_ephemeral: 0 },
      }),
    ),
    'schema',
  ],
  ['another provider address', JSON.stringify(providerStatus('akash1' + 'q'.repeat(38))), 'schema'],
];
function withNode(node: unknown) {
  const s = providerStatus(PROVIDER);
  s.cluster.inventory.available.nodes = [node as (typeof s.cluster.inventory.available.nodes)[number]];
  return s;
}
for (const [what, body, kind] of corrupt) {
  test(`gateway /status with ${what} is rejected as ${kind}; the cached inventory is served stale`, async () => {
    const source = akashSource.create(withGateway());
    const ctx = createTestContext();
    await collectSettled(source, ctx, signal);
    m.gateway.body = body;
    const obs = (await collectSettled(source, ctx, signal)).observations ?? [];
    assert.equal(value(obs, 'hmx.akash.provider.up', p), 0);
    assert.equal(value(obs, 'hmx.akash.stale', { 'akash.part': 'provider' }), 1);
    assert.equal(value(obs, 'hmx.akash.read.failures', { 'akash.part': 'provider', 'error.type': kind }), 1);
    assert.equal(value(obs, 'hmx.akash.inventory.allocatable', { 'akash.node': 'node-a', 'akash.resource': 'cpu' }), 8);
    assert.equal(value(obs, 'hmx.akash.provider.orders', p), 2);
    assert.equal(value(obs, 'hmx.akash.stale', { 'akash.part': 'chain' }), 0, 'the chain part is unaffected');
    await source.stop?.();
  });
}

test('a gateway failing providerFailAfter times fails the node; when it answers again the node recovers with its leases', async () => {
  const source = akashSource.create(withGateway({ providerFailAfter: 2 }));
  const ctx = createTestContext({ emitter: 'akash@gw' });
  await collectSettled(source, ctx, signal);
  assert.deepEqual(
    ctx.records.map((r) => r.type),
    ['node.joined', 'actor.spawned'],
  );

  m.gateway.statusCode = 500;
  await collectSettled(source, ctx, signal);
  assert.equal(ctx.records.length, 2, 'one failure is not yet a failed node');
  await collectSettled(source, ctx, signal);
  const failed = ctx.records[2];
  assert.equal(failed?.type, 'node.failed');
  assert.equal(failed?.type === 'node.failed' && failed.reason, 'gateway: gateway /status: HTTP status 500');

  m.gateway.statusCode = 200;
  const obs = (await collectSettled(source, ctx, signal)).observations ?? [];
  assert.equal(value(obs, 'hmx.akash.provider.up', p), 1);
  assert.deepEqual(
    ctx.records.slice(3).map((r) => [r.type, 'actor' in r ? r.actor.id : '']),
    [
      ['node.recovered', ''],
      ['actor.spawned', `akash:${TENANT}/10/1/1`],
    ],
  );

  const state = new TopologyState();
  for (const r of ctx.records) assert.equal(state.apply(r).applied, true, `${r.type} applied`);
  assert.equal(state.nodes.get(`akash:${PROVIDER}`)?.state, 'up');
  assert.equal(state.actors.get(`akash:${TENANT}/10/1/1`)?.state, 'running');
  assert.deepEqual(ctx.invalid, []);
  await source.stop?.();
});
