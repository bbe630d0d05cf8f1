import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harmonixSource, type HarmonixConfig } from '../../../src/sources/harmonix/index.js';
import { validateStatus } from '../../../src/sources/harmonix/status.js';
import { TopologyState } from '../../../src/topology/state.js';
import { createTestContext } from '../../support/context.js';
import { FakeDaemon } from './fake-daemon.js';

const signal = () => new AbortController().signal;
const value = (obs: { metric: string; value: number; attributes?: Record<string, unknown> }[], metric: string, name: string) =>
  obs.find((o) => o.metric === metric && o.attributes?.['hmx.daemon.name'] === name)?.value;

test('status schema: document 002 example passes; wrong types and unknown fields name the field', () => {
  const doc = {
    server_time_utc: '2025-11-11T20:01:57.881672Z',
    version: '1.1.0',
    uptime_seconds: 1192,
    dissonance: { value: 0.12, timestamp: '2025-11-11T19:42:45Z', source: 'auto-seed', ip: '127.0.0.1' },
  };
  assert.equal(validateStatus(doc).ok, true);
  assert.equal(validateStatus({ ...doc, dissonance: null }).ok, true);
  const bad = validateStatus({ ...doc, dissonance: { ...doc.dissonance, value: '0.12' } });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.errors.some((e) => e.field === '/dissonance/value'), JSON.stringify(bad));
  const extra = validateStatus({ ...doc, surprise: 1 });
  assert.ok(!extra.ok && extra.errors.some((e) => e.field === '/surprise'));
  const missing = validateStatus({ version: '1.1.0' });
  assert.ok(!missing.ok && missing.errors.some((e) => e.field === '/server_time_utc'));
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
    assert.equal(r.observations!.find((o) => o.metric === 'hmx.daemon.info' && o.attributes?.['hmx.daemon.name'] === 'shadow-metrics')?.attributes?.['hmx.daemon.version'], '1.1.0');
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
    rec.type === 'audit' ? `audit ${rec.attributes?.['hmx.dissonance.state']} ${rec.attributes?.['hmx.dissonance.value']}` : `${rec.type} ${'actor' in rec ? rec.actor.id : ''}${'reason' in rec && rec.reason ? ` (${rec.reason})` : ''}`,
  );
  assert.deepEqual(lines.slice(0, 4), ['actor.spawned hmx:shadow-metrics', 'actor.spawned hmx:dissonance', 'audit above 0.42', 'audit cleared 0.2']);
  assert.match(lines[4]!, /^actor.exited hmx:shadow-metrics \(unreachable: (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\)$/);
  assert.match(lines[5]!, /^actor.exited hmx:dissonance \(invalid \/status: \/uptime_seconds/);
  assert.deepEqual(lines.slice(6), ['actor.spawned hmx:shadow-metrics']);
  const audit = ctx.records.find((rec) => rec.type === 'audit');
  assert.ok(audit?.type === 'audit' && audit.attributes?.['hmx.dissonance.threshold'] === 0.3 && audit.attributes['hmx.dissonance.source'] === 'auto-seed');
  assert.equal(audit.severity, 'warning');
  // every record is a legal topology transition once the host node exists
  const state = new TopologyState();
  state.apply({ v: 1, type: 'node.joined', time: '2025-11-11T00:00:00Z', emitter: 'os', seq: 1, node: { id: 'host:test', kind: 'host', layer: 'os', name: 'test' } });
  for (const rec of ctx.records) assert.equal(state.apply(rec).applied, true, rec.type);
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
  assert.deepEqual(ctx.records.map((r) => r.type), ['actor.spawned', 'actor.exited']);
  const exited = ctx.records[1]!;
  assert.ok(exited.type === 'actor.exited' && exited.reason === 'unreachable: timeout after 1500 ms', JSON.stringify(exited));
});
