import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harmonixSource, type HarmonixConfig } from '../../../src/sources/harmonix/index.js';
import { probeStatus } from '../../../src/sources/harmonix/probe.js';
import { validateResearchStatus } from '../../../src/sources/harmonix/research-status.js';
import { validateShadowStatus } from '../../../src/sources/harmonix/shadow-status.js';
import { createTestContext } from '../../support/context.js';
import { replayOnHost } from './topology-replay.js';
import { FakeDaemon, statusFixture } from './fake-daemon.js';

const signal = () => new AbortController().signal;
const value = (obs: { metric: string; value: number; attributes?: Record<string, unknown> }[], metric: string, name: string) =>
  obs.find((o) => o.metric === metric && o.attributes?.['hmx.daemon.name'] === name)?.value;

test('shadow-metrics schema: the runbook example passes; wrong types and unknown fields name the field', () => {
  const doc = statusFixture('shadow-metrics') as { dissonance: Record<string, unknown> };
  assert.equal(validateShadowStatus(doc).ok, true);
  assert.equal(validateShadowStatus({ ...doc, dissonance: null }).ok, true);
  const bad = validateShadowStatus({ ...doc, dissonance: { ...doc.dissonance, value: '0.12' } });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.errors.some((e) => e.field === '/dissonance/value'), JSON.stringify(bad));
  const extra = validateShadowStatus({ ...doc, surprise: 1 });
  assert.ok(!extra.ok && extra.errors.some((e) => e.field === '/surprise'));
  const missing = validateShadowStatus({ version: '1.1.0' });
  assert.ok(!missing.ok && missing.errors.some((e) => e.field === '/server_time_utc'));
  // The research service's body is not a shadow-metrics document.
  const research = validateShadowStatus(statusFixture('dissonance-research'));
  assert.ok(!research.ok && research.errors.some((e) => e.field === '/ok'));
});

test('dissonance-research schema: the runbook\'s "ok":true passes with whatever else it reports; ok must be a boolean', () => {
  const doc = statusFixture('dissonance-research');
  assert.equal(validateResearchStatus(doc).ok, true);
  assert.equal(validateResearchStatus({ ...doc, ok: false }).ok, true);
  assert.equal(validateResearchStatus({ ...doc, workers: 1, series: ['a'] }).ok, true);
  for (const body of [{ ok: 'true' }, {}, [doc], 'ok', null]) {
    const v = validateResearchStatus(body);
    assert.ok(!v.ok && v.errors.some((e) => e.field === '/ok' || e.field === '/'), JSON.stringify(body));
  }
  const v = validateResearchStatus({ ok: 1 });
  assert.ok(!v.ok && v.errors[0]!.field === '/ok');
});

test('daemons: scripted dissonance crossing and clearing, an outage and its recovery, invalid bodies and hangs', { timeout: 30000 }, async () => {
  const shadow = await new FakeDaemon().start();
  const research = await new FakeDaemon().start();
  const config: HarmonixConfig = {
    ...harmonixSource.defaults,
    daemons: [
      { name: 'shadow-metrics', url: shadow.url },
      { name: 'dissonance', url: research.url },
    ],
    probeTimeoutMs: 3000, // generous: a loaded machine must not turn a healthy probe into a timeout
  };
  const source = harmonixSource.create(config);
  const ctx = createTestContext({ emitter: 'harmonix@test', hostNodeId: 'host:test' });
  try {
    // 1: both up, below threshold
    let r = await source.collect(ctx, signal());
    assert.equal(value(r.observations!, 'hmx.daemon.up', 'shadow-metrics'), 1);
    assert.equal(value(r.observations!, 'hmx.dissonance', 'shadow-metrics'), 0.12);
    assert.equal(
      r.observations!.find((o) => o.metric === 'hmx.daemon.info' && o.attributes?.['hmx.daemon.name'] === 'shadow-metrics')?.attributes?.['hmx.daemon.version'],
      '1.1.0',
    );
    assert.ok((value(r.observations!, 'hmx.daemon.probe.duration', 'shadow-metrics') ?? -1) >= 0);
    // 2: dissonance crosses 0.3
    shadow.dissonance = 0.42;
    await source.collect(ctx, signal());
    // 3: still above: no second audit
    shadow.dissonance = 0.5;
    await source.collect(ctx, signal());
    // 4: cleared
    shadow.dissonance = 0.2;
    await source.collect(ctx, signal());
    // 5: outage (connection refused) and a body that fails validation
    const port = new URL(shadow.url).port;
    await shadow.stop();
    research.mode = 'invalid';
    r = await source.collect(ctx, signal());
    assert.equal(value(r.observations!, 'hmx.daemon.up', 'shadow-metrics'), 0);
    assert.equal(value(r.observations!, 'hmx.daemon.up', 'dissonance'), 0);
    assert.equal(value(r.observations!, 'hmx.dissonance', 'shadow-metrics'), undefined);
    // 6: shadow back on the same port; research hangs past the probe timeout
    Object.assign(shadow, { port: Number(port) });
    await shadow.start();
    research.mode = 'hang';
    r = await source.collect(ctx, signal());
    assert.equal(value(r.observations!, 'hmx.daemon.up', 'shadow-metrics'), 1);
    assert.equal(value(r.observations!, 'hmx.daemon.up', 'dissonance'), 0);
  } finally {
    await source.stop?.();
    await shadow.stop();
    await research.stop();
  }
  assert.deepEqual(ctx.invalid, []);
  const lines = ctx.records.map((rec) =>
    rec.type === 'audit'
      ? rec.attributes?.['hmx.dissonance.state']
        ? `audit ${rec.attributes['hmx.dissonance.state']} ${rec.attributes['hmx.dissonance.value']}`
        : `audit ${rec.subject} ${rec.message}`
      : `${rec.type} ${'actor' in rec ? rec.actor.id : ''}${'reason' in rec && rec.reason ? ` (${rec.reason})` : ''}`,
  );
  assert.deepEqual(lines.slice(0, 4), ['actor.spawned hmx:shadow-metrics', 'actor.spawned hmx:dissonance', 'audit above 0.42', 'audit cleared 0.2']);
  assert.match(lines[4]!, /^actor.exited hmx:shadow-metrics \(unreachable: (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\)$/);
  assert.match(lines[5]!, /^actor.exited hmx:dissonance \(invalid \/status: \/uptime_seconds/);
  // the research daemon fails for another reason now: said on the timeline, since the topology keeps the exit's
  assert.deepEqual(lines.slice(6), [
    'actor.spawned hmx:shadow-metrics',
    'audit hmx:dissonance status probe still failing, now: unreachable: timeout after 3000 ms',
  ]);
  const audit = ctx.records.find((rec) => rec.type === 'audit');
  assert.ok(audit?.type === 'audit' && audit.attributes?.['hmx.dissonance.threshold'] === 0.3 && audit.attributes['hmx.dissonance.source'] === 'auto-seed');
  assert.equal(audit.severity, 'warning');
  // every record is a legal topology transition once the host node exists
  const state = replayOnHost(ctx.records, 'host:test');
  assert.equal(state.actors.get('hmx:dissonance')?.state, 'exited');
  assert.equal(state.actors.get('hmx:shadow-metrics')?.state, 'running');
});

test('a timeout is reported as such', { timeout: 10000 }, async () => {
  const d = await new FakeDaemon().start();
  d.mode = 'hang';
  const source = harmonixSource.create({ ...harmonixSource.defaults, daemons: [{ name: 'slow', url: d.url }], probeTimeoutMs: 1500 });
  const ctx = createTestContext();
  try {
    await source.collect(ctx, signal()); // never up: nothing to exit
    d.mode = 'ok';
    await source.collect(ctx, signal());
    d.mode = 'hang';
    await source.collect(ctx, signal());
  } finally {
    await d.stop();
  }
  assert.deepEqual(
    ctx.records.map((r) => r.type),
    ['audit', 'actor.spawned', 'actor.exited'],
  );
  const never = ctx.records[0]!;
  assert.ok(
    never.type === 'audit' && never.message === 'status probe failed: unreachable: timeout after 1500 ms' && never.attributes?.['error.type'] === 'timeout',
  );
  const exited = ctx.records[2]!;
  assert.ok(exited.type === 'actor.exited' && exited.reason === 'unreachable: timeout after 1500 ms', JSON.stringify(exited));
});

test('a chunked body past 64 KiB is too_large (bytes counted as read); the next good body is read', { timeout: 10000 }, async () => {
  const d = await new FakeDaemon().start();
  try {
    d.mode = 'huge';
    const huge = await probeStatus(d.url, 'shadow-metrics', 3000);
    assert.ok(!huge.ok && huge.error === 'too_large', JSON.stringify(huge));
    d.mode = 'ok';
    const ok = await probeStatus(d.url, 'shadow-metrics', 3000);
    assert.ok(ok.ok && ok.reading.version === '1.1.0', JSON.stringify(ok));
  } finally {
    await d.stop();
  }
});
