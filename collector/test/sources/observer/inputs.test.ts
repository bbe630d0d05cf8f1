// The observer's inputs beyond well-formed UTC events (issue 17): encodings and zones, stage markers, the logs
// directory, re-runs, never-ending runs, late files. Everything is checked in the world files it writes.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { observerSource } from '../../../src/sources/observer/index.js';
import { DEFAULT_OPTIONS, ObserverRuntime, type ObserverOptions } from '../../../src/sources/observer/runtime.js';
import { TopologyState } from '../../../src/topology/state.js';
import { createTestContext } from '../../support/context.js';
import { DOC_EXAMPLE, layout, readJson, runObserver, writeEvents, type Layout } from './fixtures.js';

const run = (l: Layout, options: Partial<ObserverOptions> = {}) => runObserver(l, { ...DEFAULT_OPTIONS, ...options });

test('a UTF-8 byte order mark is not content; ±hhmm offsets are accepted; world times are written in UTC', async () => {
  const l = layout();
  try {
    const lines = [
      { timestamp: '2026-05-12T14:05:00+0200', type: 'node_online', node: 'saturn' },
      { timestamp: '2026-05-12T07:06:30.250-05:00', type: 'healthcheck_failed', node: 'saturn', service: 'mosquitto' },
      { timestamp: '2026-05-12 12:10:00z', type: 'node_heartbeat', node: 'mars' },
    ].map((e) => JSON.stringify(e));
    writeFileSync(join(l.eventsDir, '0001.jsonl'), `\ufeff${lines.join('\n')}\n`);
    await run(l);
    const summary = readJson(l.worldDir, 'runtime-summary.json');
    assert.equal(summary.events.malformed_lines, 0, 'the first line behind the BOM parses');
    assert.equal(summary.events.applied, 3);
    const nodes = readJson(l.worldDir, 'nodes.json');
    assert.equal(nodes.saturn.last_change, '2026-05-12T12:05:00Z', '+0200 converted to UTC');
    assert.equal(nodes.saturn.last_seen, '2026-05-12T12:06:30.250Z');
    assert.equal(nodes.mars.last_seen, '2026-05-12T12:10:00Z', 'space and lower-case z normalised');
    const services = readJson(l.worldDir, 'services.json');
    assert.equal(services['saturn/mosquitto'].last_event, '2026-05-12T12:06:30.250Z');
  } finally {
    l.cleanup();
  }
});

const deploy = (type: string, cid: string, at: string, payload?: Record<string, unknown>) => ({
  timestamp: at,
  type,
  correlation_id: cid,
  node: 'saturn',
  service: 'api',
  ...(payload && { payload }),
});

test('a re-run under the same correlation_id is a new attempt; the earlier run is kept whole', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0001.jsonl', [
      deploy('deployment_started', 'dep-1', '2026-05-12T10:00:00Z'),
      deploy('deployment_stage', 'dep-1', '2026-05-12T10:01:00Z', { stage: 'build', status: 'started' }),
      deploy('deployment_failed', 'dep-1', '2026-05-12T10:02:00Z', { diagnostics: ['dep-1.log'] }),
      deploy('deployment_started', 'dep-1', '2026-05-12T11:00:00Z'),
      deploy('deployment_succeeded', 'dep-1', '2026-05-12T11:05:00Z'),
    ]);
    await run(l);
    const d = readJson(l.worldDir, 'deployments.json')['dep-1'];
    assert.equal(d.attempt, 2);
    assert.equal(d.status, 'succeeded');
    assert.equal(d.started_at, '2026-05-12T11:00:00Z');
    assert.deepEqual(d.attempts, [
      {
        attempt: 1,
        status: 'failed',
        started_at: '2026-05-12T10:00:00Z',
        ended_at: '2026-05-12T10:02:00Z',
        stages: [{ name: 'build', status: 'failed', started_at: '2026-05-12T10:01:00Z', ended_at: '2026-05-12T10:02:00Z' }],
        diagnostics: ['dep-1.log'],
      },
    ]);
  } finally {
    l.cleanup();
  }
});

test('retention drops the run that ended first, not a re-run whose earlier attempt ended first', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0001.jsonl', [
      deploy('deployment_started', 'a', '2026-05-12T10:00:00Z'),
      deploy('deployment_succeeded', 'a', '2026-05-12T10:01:00Z'),
      deploy('deployment_started', 'b', '2026-05-12T10:02:00Z'),
      deploy('deployment_succeeded', 'b', '2026-05-12T10:03:00Z'),
      deploy('deployment_started', 'a', '2026-05-12T10:04:00Z'), // a re-run: a's latest end is now the newest
      deploy('deployment_succeeded', 'a', '2026-05-12T10:05:00Z'),
      deploy('deployment_started', 'c', '2026-05-12T10:06:00Z'),
      deploy('deployment_succeeded', 'c', '2026-05-12T10:07:00Z'),
    ]);
    await run(l, { limits: { ...DEFAULT_OPTIONS.limits, maxFinishedDeployments: 2 } });
    assert.deepEqual(Object.keys(readJson(l.worldDir, 'deployments.json')).sort(), ['a', 'c']);
  } finally {
    l.cleanup();
  }
});

test('runs that never end are bounded: the oldest started is evicted and counted', async () => {
  const l = layout();
  try {
    const start = Date.parse('2026-05-12T10:00:00Z');
    const at = (i: number) => new Date(start + i * 1000).toISOString();
    writeEvents(l.eventsDir, '0001.jsonl', [
      ...Array.from({ length: 10 }, (_, i) => deploy('deployment_started', `run-${i}`, at(i))),
      deploy('deployment_succeeded', 'run-9', at(20)),
    ]);
    const rt = await run(l, { limits: { ...DEFAULT_OPTIONS.limits, maxRunningDeployments: 4 } });
    const deployments = readJson(l.worldDir, 'deployments.json');
    assert.deepEqual(Object.keys(deployments).sort(), ['run-6', 'run-7', 'run-8', 'run-9']);
    const summary = readJson(l.worldDir, 'runtime-summary.json');
    assert.equal(summary.deployments.evicted, 6);
    assert.equal(summary.deployments.running, 3);
    // The bound survives a restart from the checkpoint: the same runs are next in line.
    writeEvents(l.eventsDir, '0002.jsonl', [deploy('deployment_started', 'run-10', at(30)), deploy('deployment_started', 'run-11', at(31))]);
    await rt.catchUp();
    const reopened = await run(l, { limits: { ...DEFAULT_OPTIONS.limits, maxRunningDeployments: 4 } });
    assert.equal(reopened.world.counters.deployments_evicted, 7);
    assert.deepEqual(Object.keys(readJson(l.worldDir, 'deployments.json')).sort(), ['run-10', 'run-11', 'run-7', 'run-8', 'run-9']);
  } finally {
    l.cleanup();
  }
});

test('stage markers in the state directory advance deployment stages; a rebuild from the events gives the same world', async () => {
  const l = layout();
  const marker = (file: string, body: unknown) => writeFileSync(join(l.stateDir, file), typeof body === 'string' ? body : JSON.stringify(body));
  try {
    writeEvents(l.eventsDir, '0001.jsonl', [deploy('deployment_started', 'dep-9', '2026-05-12T10:00:00Z')]);
    marker('dep-9.build.json', { correlation_id: 'dep-9', stage: 'build', status: 'started', timestamp: '2026-05-12T12:01:00+0200' });
    marker('broken.json', '{"correlation_id":');
    marker('other.json', { correlation_id: 'dep-unknown', stage: 'build', status: 'started', timestamp: '2026-05-12T10:01:00Z' });
    const rt = await run(l);
    let d = readJson(l.worldDir, 'deployments.json')['dep-9'];
    assert.deepEqual(d.stages, [{ name: 'build', status: 'running', started_at: '2026-05-12T10:01:00Z', ended_at: null }]);

    // A marker written later, with no new event, reaches the world on the next pass.
    marker('dep-9.build.done.json', { correlation_id: 'dep-9', stage: 'build', status: 'succeeded', timestamp: '2026-05-12T10:03:00Z' });
    rt.refresh();
    d = readJson(l.worldDir, 'deployments.json')['dep-9'];
    assert.deepEqual(d.stages, [{ name: 'build', status: 'succeeded', started_at: '2026-05-12T10:01:00Z', ended_at: '2026-05-12T10:03:00Z' }]);
    assert.deepEqual(readJson(l.worldDir, 'runtime-summary.json').stage_markers, { applied: 2, unmatched: 1, invalid: 1, not_read: 0 });
    assert.equal(readJson(l.worldDir, 'deployments.json')['dep-unknown'], undefined, 'a marker alone does not invent a run');

    const before = readFileSync(join(l.worldDir, 'deployments.json'), 'utf8');
    rmSync(join(l.stateDir, 'observer_checkpoint.json'));
    await run(l);
    assert.equal(readFileSync(join(l.worldDir, 'deployments.json'), 'utf8'), before);
  } finally {
    l.cleanup();
  }
});

test('diagnostics are resolved against the logs directory, never outside it', async () => {
  const l = layout();
  const logsDir = join(l.root, 'logs');
  try {
    mkdirSync(logsDir);
    writeFileSync(join(logsDir, 'dep-3.log'), 'pull failed: 503\n');
    writeFileSync(join(l.root, 'secret.txt'), 'not a log');
    symlinkSync(join(l.root, 'secret.txt'), join(logsDir, 'link.log'));
    writeEvents(l.eventsDir, '0001.jsonl', [
      deploy('deployment_started', 'dep-3', '2026-05-12T10:00:00Z'),
      deploy('deployment_failed', 'dep-3', '2026-05-12T10:02:00Z', {
        diagnostics: ['dep-3.log', join(logsDir, 'dep-3.log'), '../secret.txt', '/etc/passwd', 'link.log', 'gone.log'],
      }),
    ]);
    await runObserver(l, DEFAULT_OPTIONS, { logsDir });
    const files = readJson(l.worldDir, 'deployments.json')['dep-3'].diagnostic_files;
    const present = { path: join(logsDir, 'dep-3.log'), status: 'present', bytes: 17 };
    assert.deepEqual(files, [
      { ref: 'dep-3.log', ...present },
      { ref: join(logsDir, 'dep-3.log'), ...present },
      { ref: '../secret.txt', path: null, status: 'outside_logs_dir', bytes: null },
      { ref: '/etc/passwd', path: null, status: 'outside_logs_dir', bytes: null },
      { ref: 'link.log', path: join(logsDir, 'link.log'), status: 'not_a_regular_file', bytes: null },
      { ref: 'gone.log', path: join(logsDir, 'gone.log'), status: 'missing', bytes: null },
    ]);
    const incident = Object.values(readJson(l.worldDir, 'incidents.json'))[0] as { diagnostic_files: { status: string }[] };
    assert.equal(incident.diagnostic_files[0]?.status, 'present', 'the incident the failure opened resolves them too');
  } finally {
    l.cleanup();
  }
});

test('an event file arriving late (sorting before the read position) is warned about and counted, not silently skipped', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0002.jsonl', [{ timestamp: '2026-05-12T10:00:00Z', type: 'node_online', node: 'saturn' }]);
    const warnings: { file?: string }[] = [];
    const logger = { warn: (o: { file?: string }) => warnings.push(o), info: () => undefined };
    const rt = new ObserverRuntime({ eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir }, { ...DEFAULT_OPTIONS, logger });
    await rt.open();
    await rt.catchUp();
    writeEvents(l.eventsDir, '0001.jsonl', [{ timestamp: '2026-05-12T09:00:00Z', type: 'node_online', node: 'mars' }]);
    writeEvents(l.eventsDir, '0003.jsonl', [{ timestamp: '2026-05-12T11:00:00Z', type: 'node_online', node: 'venus' }]);
    await rt.catchUp();
    assert.equal(rt.lateFiles, 1);
    assert.deepEqual(
      warnings.map((w) => w.file),
      ['0001.jsonl'],
    );
    assert.deepEqual(Object.keys(readJson(l.worldDir, 'nodes.json')).sort(), ['saturn', 'venus'], 'the late file is not applied out of order');
    await rt.catchUp();
    assert.equal(rt.lateFiles, 1, 'counted once');
  } finally {
    l.cleanup();
  }
});

test('declared but never reported nodes and services are unknown: in the world files, not on the topology as up/running', async () => {
  const l = layout();
  try {
    mkdirSync(join(l.repoDir, 'inventory'), { recursive: true });
    mkdirSync(join(l.repoDir, 'hosts', 'jupiter'), { recursive: true });
    mkdirSync(join(l.repoDir, 'hosts', 'saturn'), { recursive: true });
    writeFileSync(join(l.repoDir, 'inventory', 'topology.yaml'), 'nodes:\n  - name: saturn\n  - name: jupiter\n');
    writeFileSync(join(l.repoDir, 'hosts', 'saturn', 'services.yaml'), 'services:\n  - name: mosquitto\n  - name: grafana\n');
    writeFileSync(join(l.repoDir, 'hosts', 'jupiter', 'services.yaml'), 'services:\n  - name: plex\n');
    writeEvents(l.eventsDir, '0001.jsonl', DOC_EXAMPLE);
    const source = observerSource.create({
      ...observerSource.defaults,
      eventsDir: l.eventsDir,
      stateDir: l.stateDir,
      worldDir: l.worldDir,
      logsDir: join(l.root, 'logs'),
      repoDir: l.repoDir,
    });
    const ctx = createTestContext({ emitter: 'observer@unknown' });
    await source.start!(ctx);
    const frame = await source.collect(ctx, new AbortController().signal);
    await source.stop?.();
    const state = new TopologyState();
    for (const r of ctx.records) assert.equal(state.apply(r).applied, true, r.type);
    assert.deepEqual([...state.nodes.keys()], ['observer:saturn'], 'jupiter never reported');
    assert.deepEqual([...state.actors.keys()], ['observer:saturn/mosquitto'], 'grafana and plex never reported');
    assert.equal(readJson(l.worldDir, 'services.json')['saturn/grafana'].status, 'unknown', 'the world files still list them');
    const unknown = frame.observations?.find((o) => o.metric === 'hmx.observer.services' && o.attributes?.status === 'unknown')?.value;
    assert.equal(unknown, readJson(l.worldDir, 'runtime-summary.json').services.unknown, 'the metric and runtime-summary.json agree');
    assert.equal(unknown, 2);
  } finally {
    l.cleanup();
  }
});
