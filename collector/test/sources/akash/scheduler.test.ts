// The akash source under the real scheduler and normaliser: stale values are a successful frame, an empty cache is a failure.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemClock } from '@harmonix/delivery';
import { normaliseFrame } from '../../../src/core/normalise.js';
import type { Frame } from '../../../src/core/source.js';
import { buildConfig } from '../../../src/config/load.js';
import { builtinSources } from '../../../src/sources/index.js';
import { SourceRunner } from '../../../src/core/scheduler.js';
import { akashSource } from '../../../src/sources/akash/index.js';
import { createTestContext } from '../../support/context.js';
import { FakeComet } from './fake-comet.js';
import { config, seedMarket, value } from './helpers.js';

// The schedule docs/sources/akash.md recommends, as the real loader builds it (one retry to keep the test short).
const loaded = buildConfig([{ sources: { akash: { enabled: true, interval: '1s', timeout: '20s', provider: 'akash1' + 'p'.repeat(38) } } }], builtinSources);
const schedule = { ...loaded.sources.find((s) => s.factory.name === 'akash')!.schedule, retries: 1, backoffBaseMs: 1, backoffMaxMs: 2 };

let chain: FakeComet;
before(async () => {
  chain = await new FakeComet().start();
  seedMarket(chain);
});
after(() => chain.stop());

test('a stale collection is a success for the scheduler, and every sample passes the normaliser', async () => {
  const source = akashSource.create(config({ rpcUrl: chain.url, maxBackoffCycles: 0 }));
  const frames: Frame[] = [];
  const runner = new SourceRunner(source, schedule, createTestContext(), { onFrame: (_s, f) => frames.push(f) }, systemClock);
  const signal = new AbortController().signal;

  assert.equal(await runner.cycle(signal), true);
  chain.fault = { kind: 'down' };
  assert.equal(await runner.cycle(signal), true, 'cached values are served, not a failure');
  await source.idle?.(); // the failing read ends after its collection returned
  assert.equal(await runner.cycle(signal), true);
  await source.idle?.();
  chain.fault = undefined;
  assert.equal(runner.health.failures, 0);
  assert.equal(runner.health.state, 'ok', 'the scheduler sees successful collections…');
  assert.equal(runner.freshness(Date.now()).state, 'stale', '…and the data state says they are stale');

  const descriptors = new Map(source.metrics.map((m) => [m.name, m]));
  for (const frame of frames) {
    const normalised = normaliseFrame(frame, descriptors);
    assert.deepEqual(normalised.dropped, []);
  }
  const stale = frames[2]?.observations ?? [];
  assert.equal(value(stale, 'hmx.akash.stale', { 'akash.part': 'chain' }), 1);
  assert.equal(value(stale, 'hmx.akash.leases', { 'akash.lease.state': 'active' }), 1);
});

test('with nothing cached, the scheduler sees the failure and retries', async () => {
  const closed = await new FakeComet().start();
  await closed.stop();
  const source = akashSource.create(config({ rpcUrl: closed.url }));
  const runner = new SourceRunner(source, schedule, createTestContext(), { onFrame: () => assert.fail('no frame expected') }, systemClock);
  assert.equal(await runner.cycle(new AbortController().signal), false);
  assert.equal(runner.health.failures, 2, 'the attempt and its one retry');
  assert.match(runner.health.lastError?.message ?? '', /nothing to serve yet: RPC status: unreachable/);
});
