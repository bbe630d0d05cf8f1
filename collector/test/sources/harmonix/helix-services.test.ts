// Both Helix services of the runbook, each probed by its own /status schema, through the issue-20
// scenario: dissonance 0.12 → 0.29 → 0.31 → 0.45, HTTP 500, garbage JSON, connection refused, recovery to 0.2, a
// second crossing to 0.35; the research service "ok":true then "ok":false.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from '../../../src/core/observation.js';
import { harmonixSource } from '../../../src/sources/harmonix/index.js';
import { createTestContext } from '../../support/context.js';
import { replayOnHost } from './topology-replay.js';
import { FakeDaemon } from './fake-daemon.js';

const signal = () => new AbortController().signal;
const of = (obs: Observation[], name: string) => obs.filter((o) => o.attributes?.['hmx.daemon.name'] === name);
const metric = (obs: Observation[], name: string, m: string) => of(obs, name).filter((o) => o.metric === m);
const failures = (obs: Observation[], name: string) =>
  Object.fromEntries(metric(obs, name, 'hmx.daemon.probe.failures').map((o) => [o.attributes!['error.type'], o.value]));
/** What a down daemon must no longer report as current. */
const VALUES = ['hmx.daemon.info', 'hmx.daemon.uptime', 'hmx.dissonance'];

test('shadow metrics and dissonance research: health by kind, one audit per crossing, failures by type and reason', { timeout: 30000 }, async () => {
  const shadow = await new FakeDaemon('shadow-metrics').start();
  const research = await new FakeDaemon('dissonance-research').start();
  const source = harmonixSource.create({
    ...harmonixSource.defaults,
    daemons: [
      { name: 'shadow-metrics', url: shadow.url, kind: 'shadow-metrics' },
      { name: 'dissonance-research', url: research.url, kind: 'dissonance-research' },
    ],
    probeTimeoutMs: 3000,
  });
  const ctx = createTestContext({ emitter: 'harmonix@test', hostNodeId: 'host:test' });
  const collect = async () => (await source.collect(ctx, signal())).observations ?? [];
  try {
    for (const v of [0.12, 0.29, 0.31, 0.45]) {
      shadow.dissonance = v;
      const obs = await collect();
      assert.equal(metric(obs, 'shadow-metrics', 'hmx.dissonance')[0]?.value, v);
      assert.equal(metric(obs, 'dissonance-research', 'hmx.daemon.up')[0]?.value, 1, 'research "ok":true is healthy');
    }
    research.healthy = false;
    shadow.mode = 'http500';
    let obs = await collect();
    assert.equal(metric(obs, 'dissonance-research', 'hmx.daemon.up')[0]?.value, 0);
    assert.deepEqual(failures(obs, 'dissonance-research'), { not_ok: 1 });
    shadow.mode = 'garbage';
    await collect();
    const port = Number(new URL(shadow.url).port);
    await shadow.stop();
    obs = await collect();
    assert.equal(metric(obs, 'shadow-metrics', 'hmx.daemon.up')[0]?.value, 0);
    assert.deepEqual(failures(obs, 'shadow-metrics'), { http: 1, json: 1, unreachable: 1 });
    assert.deepEqual(failures(obs, 'dissonance-research'), { not_ok: 3 });
    for (const name of ['shadow-metrics', 'dissonance-research']) {
      assert.deepEqual(
        of(obs, name).filter((o) => VALUES.includes(o.metric)),
        [],
        `${name} is down: no info, uptime or dissonance`,
      );
    }
    Object.assign(shadow, { port });
    shadow.mode = 'ok';
    await shadow.start();
    for (const v of [0.2, 0.35]) {
      shadow.dissonance = v;
      obs = await collect();
      assert.equal(metric(obs, 'shadow-metrics', 'hmx.daemon.up')[0]?.value, 1);
    }
    // The counter is cumulative: a recovered daemon keeps its history.
    assert.deepEqual(failures(obs, 'shadow-metrics'), { http: 1, json: 1, unreachable: 1 });
    assert.equal(metric(obs, 'shadow-metrics', 'hmx.daemon.info')[0]?.attributes?.['hmx.daemon.version'], '1.1.0');
    assert.deepEqual(metric(obs, 'dissonance-research', 'hmx.daemon.info'), [], 'research reports no version');
  } finally {
    await source.stop?.();
    await shadow.stop();
    await research.stop();
  }
  assert.deepEqual(ctx.invalid, []);
  const bySubject = (id: string) =>
    ctx.records.flatMap((r) => {
      if (r.type === 'audit') return r.subject === id ? [`audit ${r.severity}: ${r.message}`] : [];
      if ('actor' in r && r.actor.id === id) return [`${r.type}${'reason' in r && r.reason ? ` (${r.reason}; ${r.attributes?.['error.type']})` : ''}`];
      return [];
    });
  const shadowLines = bySubject('hmx:shadow-metrics');
  assert.deepEqual(shadowLines.slice(0, 4), [
    'actor.spawned',
    'audit warning: dissonance 0.31 above threshold 0.3 (source auto-seed)',
    'actor.exited (HTTP 500; http)',
    'audit error: status probe still failing, now: invalid /status: not JSON',
  ]);
  assert.match(shadowLines[4]!, /^audit error: status probe still failing, now: unreachable: (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)$/);
  assert.deepEqual(shadowLines.slice(5), [
    'actor.spawned',
    'audit info: dissonance 0.2 back at or below threshold 0.3 (source auto-seed)',
    'audit warning: dissonance 0.35 above threshold 0.3 (source auto-seed)',
  ]);
  assert.deepEqual(bySubject('hmx:dissonance-research'), ['actor.spawned', 'actor.exited (status reports "ok": false; not_ok)']);
  const state = replayOnHost(ctx.records, 'host:test');
  assert.equal(state.actors.get('hmx:dissonance-research')?.state, 'exited');
  assert.equal(state.actors.get('hmx:shadow-metrics')?.state, 'running');
});

test('a daemon probed with the wrong kind is never up, and the timeline says why once', { timeout: 10000 }, async () => {
  const research = await new FakeDaemon('dissonance-research').start();
  const source = harmonixSource.create({ ...harmonixSource.defaults, daemons: [{ name: 'research', url: research.url }] });
  const ctx = createTestContext();
  let obs: Observation[] = [];
  try {
    for (let i = 0; i < 3; i++) obs = (await source.collect(ctx, signal())).observations ?? [];
  } finally {
    await research.stop();
  }
  assert.equal(metric(obs, 'research', 'hmx.daemon.up')[0]?.value, 0);
  assert.deepEqual(failures(obs, 'research'), { schema: 3 });
  assert.deepEqual(
    ctx.records.map((r) => (r.type === 'audit' ? `${r.subject} ${r.attributes?.['error.type']}` : r.type)),
    ['hmx:research schema'],
  );
  const audit = ctx.records[0]!;
  assert.ok(
    audit.type === 'audit' && audit.message.startsWith('status probe failed: invalid /status: ') && audit.message.includes('/ok'),
    JSON.stringify(audit),
  );
});
