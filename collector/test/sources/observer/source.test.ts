import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { observerSource } from '../../../src/sources/observer/index.js';
import { TopologyState } from '../../../src/topology/state.js';
import { createTestContext } from '../../support/context.js';
import { DOC_EXAMPLE, layout, writeEvents } from './fixtures.js';

test('observer source: topology, incident audits, hmx.incidents.active and deployment runs through the contract', async () => {
  const l = layout();
  try {
    const source = observerSource.create({ ...observerSource.defaults, eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir, repoDir: '' });
    const ctx = createTestContext({ emitter: 'observer@test' });
    const runs = ctx.traces;
    await source.start!(ctx);
    writeEvents(l.eventsDir, '0001.jsonl', [
      DOC_EXAMPLE[0]!,
      { timestamp: '2026-05-12T12:05:10Z', type: 'deployment_started', correlation_id: 'd-9', node: 'saturn', service: 'grafana' },
      { timestamp: '2026-05-12T12:05:20Z', type: 'deployment_stage', correlation_id: 'd-9', payload: { stage: 'pull', status: 'started' } },
      { timestamp: '2026-05-12T12:05:40Z', type: 'deployment_succeeded', correlation_id: 'd-9' },
      DOC_EXAMPLE[1]!,
    ]);
    const first = await source.collect(ctx, new AbortController().signal);
    const active = first.observations!.filter((o) => o.metric === 'hmx.incidents.active');
    assert.deepEqual(active.find((o) => o.attributes?.severity === 'error')?.value, 1);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.spans.length, 2);
    assert.match(runs[0]!.traceId, /^[0-9a-f]{32}$/);
    assert.equal(runs[0]!.spans[1]!.parentSpanId, runs[0]!.spans[0]!.spanId);

    appendFileSync(join(l.eventsDir, '0001.jsonl'), `${JSON.stringify(DOC_EXAMPLE[2])}\n`);
    const second = await source.collect(ctx, new AbortController().signal);
    assert.equal(second.observations!.find((o) => o.metric === 'hmx.incidents.active' && o.attributes?.severity === 'error')?.value, 0);
    await source.stop?.();

    assert.deepEqual(ctx.invalid, []);
    const state = new TopologyState();
    for (const r of ctx.records) {
      const res = state.apply(r);
      assert.equal(res.applied, true, `${r.type} rejected by the topology: ${JSON.stringify(res.anomaly)}`);
    }
    assert.equal(state.nodes.get('observer:saturn')?.state, 'up');
    assert.equal(state.actors.get('observer:saturn/mosquitto')?.state, 'running');
    const types = ctx.records.map((r) => r.type);
    assert.ok(types.includes('actor.exited'));
    const audits = ctx.records.filter((r) => r.type === 'audit');
    assert.deepEqual(audits.map((a) => a.type === 'audit' && a.attributes?.['hmx.incident.change']).filter(Boolean), ['opened', 'resolved']);
    assert.ok(audits.some((a) => a.type === 'audit' && a.message === 'deployment d-9 succeeded'));
  } finally {
    l.cleanup();
  }
});

test('observer source: a restart from the checkpoint re-announces the topology without repeating old audits', async () => {
  const l = layout();
  try {
    const config = { ...observerSource.defaults, eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir, repoDir: '' };
    writeEvents(l.eventsDir, '0001.jsonl', DOC_EXAMPLE.slice(0, 2));
    const a = observerSource.create(config);
    const ctxA = createTestContext({ emitter: 'observer@a' });
    await a.start!(ctxA);
    await a.collect(ctxA, new AbortController().signal);
    const b = observerSource.create(config);
    const ctxB = createTestContext({ emitter: 'observer@b' });
    await b.start!(ctxB);
    await b.collect(ctxB, new AbortController().signal);
    assert.deepEqual(
      ctxB.records.map((r) => r.type),
      ['node.joined', 'actor.spawned', 'actor.exited'],
    );
    assert.deepEqual(ctxB.invalid, []);
  } finally {
    l.cleanup();
  }
});

test('observer source: overlapping collections (a retry while a timed-out attempt finishes) run one after the other', async () => {
  const l = layout();
  try {
    const { generateEvents } = await import('./generate.js');
    generateEvents(l.eventsDir, { events: 20000, files: 4, seed: 9 });
    const config = { ...observerSource.defaults, eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir, repoDir: '' };
    const source = observerSource.create(config);
    const ctx = createTestContext({ emitter: 'observer@overlap' });
    await source.start!(ctx);
    // the scheduler gave up on `first` (timeout) but it is still running when the retry starts
    const first = source.collect(ctx, new AbortController().signal);
    const [, second] = await Promise.all([first, source.collect(ctx, new AbortController().signal)]);
    const applied = second.observations!.filter((o) => o.metric === 'hmx.observer.events').reduce((n, o) => n + o.value, 0);
    assert.equal(applied, 20000);
    assert.deepEqual(ctx.invalid, []);
    const { rebuildWorld } = await import('../../../src/sources/observer/runtime.js');
    const { readWorld } = await import('./fixtures.js');
    assert.deepEqual(readWorld(l.worldDir), (await rebuildWorld(l.eventsDir, undefined, undefined, config.logsDir)).files);
  } finally {
    l.cleanup();
  }
});
