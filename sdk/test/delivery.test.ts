// SDK delivery against a real HTTP ingest: batching by size and time, retries, 400/401/413, the buffer bound.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createSdk, type SdkError, type SdkOptions } from '../src/index.js';
import type { ActorRef, NodeRef } from '@harmonix/contract';
import { startFakeIngest, type FakeIngest } from './fake-ingest.js';

const node: NodeRef = { id: 'mesh:a', kind: 'mesh-node', layer: 'mesh', name: 'a' };
const actor = (n: number): ActorRef => ({ id: `mesh:a/w${n}`, kind: 'worker', layer: 'mesh', name: `w${n}`, node: node.id });
const quiet: Partial<SdkOptions> = { flushIntervalMs: 60_000, retryBaseMs: 5, retryMaxMs: 20 };

const servers: FakeIngest[] = [];
async function ingest(options?: Parameters<typeof startFakeIngest>[0]) {
  const server = await startFakeIngest(options);
  servers.push(server);
  return server;
}
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A port nobody listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('SDK delivery to the ingest', () => {
  it('sends lifecycle events in order with a per-incarnation emitter, increasing seq and the bearer token', async () => {
    const server = await ingest({ token: 's3cret' });
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, token: 's3cret' });
    assert.match(sdk.emitter, new RegExp(`^rt/${process.pid}-\\d+$`));
    sdk.nodeJoined(node, { attributes: { 'process.pid': process.pid } });
    sdk.actorSpawned(actor(1));
    sdk.actorExited(actor(1), { reason: 'crashed', exitCode: 1 });
    sdk.actorRestarted(actor(1), 1, { reason: 'supervisor restart' });
    sdk.audit(node.id, 'checked', 'warning');
    assert.equal(await sdk.flush(), true);
    assert.deepEqual(
      server.records.map((r) => r.type),
      ['node.joined', 'actor.spawned', 'actor.exited', 'actor.restarted', 'audit'],
    );
    assert.deepEqual(
      server.records.map((r) => r.seq),
      [1, 2, 3, 4, 5],
    );
    assert.ok(server.records.every((r) => r.emitter === sdk.emitter));
    const exited = server.records[2];
    assert.ok(exited?.type === 'actor.exited' && exited.exitCode === 1 && exited.reason === 'crashed');
    assert.equal(server.records[0]?.attributes?.['process.pid'], process.pid);
    await sdk.close();
  });

  it('batches by size: full batches go out without waiting for the timer', async () => {
    const server = await ingest();
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, batchSize: 10 });
    for (let i = 0; i < 25; i++) sdk.audit(node.id, `event ${i}`);
    await server.waitFor((records) => records.length >= 20);
    assert.deepEqual(server.batches, [10, 10]);
    await sdk.flush();
    assert.deepEqual(server.batches, [10, 10, 5]);
    await sdk.close();
  });

  it('batches by time: a partial batch is sent by the flush timer', async () => {
    const server = await ingest();
    const sdk = createSdk({ name: 'rt', collectorUrl: server.url, batchSize: 100, flushIntervalMs: 20 });
    sdk.nodeJoined(node);
    sdk.actorSpawned(actor(1));
    await server.waitFor((records) => records.length === 2);
    assert.deepEqual(server.batches, [2]);
    await sdk.close();
  });

  it('retries network errors and 5xx with backoff, delivering every record exactly once, in order', async () => {
    const server = await ingest();
    const errors: SdkError[] = [];
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, batchSize: 3, onError: (e) => errors.push(e) });
    server.failNext(2, 503);
    server.failNext(1, 'reset');
    server.failNext(1, 500);
    for (let i = 0; i < 7; i++) sdk.audit(node.id, `event ${i}`);
    assert.equal(await sdk.flush(), true);
    assert.deepEqual(
      server.records.map((r) => r.seq),
      [1, 2, 3, 4, 5, 6, 7],
    );
    const stats = sdk.stats();
    assert.equal(stats.retries, 4);
    assert.equal(stats.delivered, 7);
    assert.equal(stats.dropped, 0);
    assert.ok(errors.some((e) => e.kind === 'retrying' && e.details.status === 503));
    await sdk.close();
  });

  it('on 400 drops only the records the collector named by index and resends the rest', async () => {
    const server = await ingest({ refuse: (r) => (r.type === 'audit' && r.message === 'poison' ? 'no poison' : undefined) });
    const errors: SdkError[] = [];
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, onError: (e) => errors.push(e) });
    sdk.audit(node.id, 'fine 1');
    sdk.audit(node.id, 'poison');
    sdk.audit(node.id, 'fine 2');
    assert.equal(await sdk.flush(), true);
    assert.deepEqual(
      server.records.map((r) => r.seq),
      [1, 3],
    );
    assert.deepEqual(server.statuses, [400, 202]);
    assert.equal(sdk.stats().rejected, 1);
    const rejected = errors.find((e) => e.kind === 'rejected');
    assert.deepEqual(rejected?.details.errors, [{ field: '/', expected: 'no poison' }]);
    await sdk.close();
  });

  it('reports 401 (missing token) as unauthorized and does not retry', async () => {
    const server = await ingest({ token: 'right' });
    const errors: SdkError[] = [];
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, onError: (e) => errors.push(e) });
    sdk.nodeJoined(node);
    await sdk.flush();
    assert.deepEqual(server.statuses, [401]);
    assert.equal(sdk.stats().rejected, 1);
    assert.equal(errors[0]?.kind, 'unauthorized');
    assert.match(errors[0]?.message ?? '', /token/);
    await sdk.close();
  });

  it('on 413 halves the batch until it fits; a single record that never fits is refused', async () => {
    const oneRecordBytes = 400; // an audit record with a short message is well under this
    const server = await ingest({ maxBodyBytes: oneRecordBytes * 3 });
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, batchSize: 16 });
    for (let i = 0; i < 16; i++) sdk.audit(node.id, `event ${i}`);
    assert.equal(await sdk.flush(), true);
    assert.deepEqual(
      server.records.map((r) => r.seq),
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    assert.ok(server.statuses.includes(413));
    assert.ok(server.batches.length >= 4, `16 records in batches that fit 1200 bytes: ${server.batches.join(',')}`);
    assert.ok(server.batches.every((n) => n < 16));

    const tiny = await ingest({ maxBodyBytes: 50 });
    const errors: SdkError[] = [];
    const sdk2 = createSdk({ ...quiet, name: 'rt', collectorUrl: tiny.url, onError: (e) => errors.push(e) });
    sdk2.audit(node.id, 'does not fit');
    await sdk2.flush();
    assert.equal(sdk2.stats().rejected, 1);
    assert.ok(errors.some((e) => e.kind === 'too-large'));
    await Promise.all([sdk.close(), sdk2.close()]);
  });

  it('bounds the buffer: when full the oldest records are dropped and counted', async () => {
    const server = await ingest();
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, maxBuffer: 5, batchSize: 100 });
    for (let i = 0; i < 12; i++) sdk.audit(node.id, `event ${i}`);
    assert.equal(sdk.stats().dropped, 7);
    assert.equal(sdk.stats().buffered, 5);
    await sdk.flush();
    assert.deepEqual(
      server.records.map((r) => r.seq),
      [8, 9, 10, 11, 12],
    );
    await sdk.close();
  });

  it('keeps buffering while the collector is down, and close() gives up after its deadline, counting the loss', async () => {
    const port = await deadPort();
    const errors: SdkError[] = [];
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: `http://127.0.0.1:${port}`, closeTimeoutMs: 200, onError: (e) => errors.push(e) });
    sdk.nodeJoined(node);
    sdk.actorSpawned(actor(1));
    assert.equal(await sdk.flush(100), false);
    await sdk.close();
    const stats = sdk.stats();
    assert.equal(stats.delivered, 0);
    assert.equal(stats.dropped, 2);
    assert.ok(stats.retries >= 1);
    assert.ok(errors.some((e) => e.kind === 'retrying'));
    assert.equal(sdk.actorSpawned(actor(2)).ok, false, 'records after close() are refused');
  });

  it('refuses a record that does not fit the contract with the field named, without throwing or using a seq', async () => {
    const server = await ingest();
    const errors: SdkError[] = [];
    const sdk = createSdk({ ...quiet, name: 'rt', collectorUrl: server.url, onError: (e) => errors.push(e) });
    const bad = sdk.actorSpawned({ ...actor(1), name: 'evil\u0000name' });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.errors.some((e) => e.field === '/actor/name'));
    assert.equal(errors[0]?.kind, 'invalid-record');
    const good = sdk.nodeJoined(node);
    assert.deepEqual(good, { ok: true, seq: 1 });
    await sdk.flush();
    assert.equal(server.records.length, 1);
    assert.equal(sdk.stats().invalid, 1);
    await sdk.close();
  });

  it('rejects unusable options with the option named', () => {
    assert.throws(() => createSdk({ name: 'rt', collectorUrl: 'not a url' }), /collectorUrl/);
    assert.throws(() => createSdk({ name: 'rt', collectorUrl: 'ftp://x' }), /collectorUrl/);
    assert.throws(() => createSdk({ name: 'rt', collectorUrl: 'http://127.0.0.1:1', batchSize: 0 }), /batchSize/);
  });
});
