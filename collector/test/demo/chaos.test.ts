// The demo's chaos loop against the real collector: injected actor crashes and SIGKILLed node processes are
// recovered by the supervisors, and every step is on the collector's record. Plus option validation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../../src/demo/index.js';
import { testCollector } from '../support/collector.js';
import { events, topology, waitFor } from './collector-view.js';

describe('demo chaos loop', () => {
  it('crashes actors and kills node processes; supervisors restart both, all through the SDK', async () => {
    const collector = await testCollector();
    const demo = await startDemo({
      collectorUrl: collector.url,
      nodes: 2,
      actorsPerNode: 2,
      messageRateHz: 5,
      seed: 7,
      restartDelayMs: 200,
      chaos: { actorCrashIntervalMs: 300, nodeKillIntervalMs: 1500, minUptimeMs: 500 },
    });
    try {
      const history = await waitFor(
        'an injected actor crash + restart and a node kill + recovery',
        async () => {
          const all = await events(collector.url);
          const crashed = all.some((r) => r.type === 'actor.exited' && r.reason === 'crashed: chaos: injected crash');
          const restarted = all.some((r) => r.type === 'actor.restarted' && r.restartCount >= 1);
          const failed = all.some((r) => r.type === 'node.failed' && r.reason === 'process killed by SIGKILL');
          const recovered = all.some((r) => r.type === 'node.recovered');
          return crashed && restarted && failed && recovered ? all : undefined;
        },
        120_000,
      );
      const audits = history.filter((r) => r.type === 'audit' && r.emitter === demo.emitter);
      assert.ok(audits.some((r) => r.type === 'audit' && r.message.startsWith('chaos: SIGKILL') && r.severity === 'warning'));
      assert.ok(audits.some((r) => r.type === 'audit' && r.message.startsWith('chaos: injected crash')));
      const failed = history.find((r) => r.type === 'node.failed');
      assert.equal(failed?.emitter, demo.emitter, 'node.failed comes from the supervisor (the dead process cannot speak)');
    } finally {
      await demo.stop();
    }
    const view = await topology(collector.url);
    assert.equal(view.nodes.filter((n) => n.layer === 'mesh').length, 0, 'stopped even while chaos was running');
    await collector.stop();
  });

  it('rejects bad options naming the option, before starting any process', async () => {
    await assert.rejects(startDemo({ collectorUrl: 'not-a-url' }), /collectorUrl/);
    await assert.rejects(startDemo({ collectorUrl: 'http://127.0.0.1:1', nodes: 0 }), /nodes/);
    await assert.rejects(startDemo({ collectorUrl: 'http://127.0.0.1:1', messageRateHz: -1 }), /messageRateHz/);
    await assert.rejects(startDemo({ collectorUrl: 'http://127.0.0.1:1', chaos: { actorCrashIntervalMs: 1.5 } }), /chaos\.actorCrashIntervalMs/);
  });
});
