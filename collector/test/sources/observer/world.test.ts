import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ObserverRuntime, DEFAULT_OPTIONS, rebuildWorld } from '../../../src/sources/observer/runtime.js';
import type { Logger } from '../../../src/core/logger.js';
import type { Incident } from '../../../src/sources/observer/world.js';
import { DOC_EXAMPLE, layout, readJson, readWorld, writeEvents } from './fixtures.js';

test('Observer Runtime example: two failures then recovery give one resolved incident with occurrence_count 2', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0001.jsonl', DOC_EXAMPLE);
    const rt = new ObserverRuntime({ eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir }, DEFAULT_OPTIONS);
    await rt.open();
    await rt.catchUp();
    const incidents = readJson(l.worldDir, 'incidents.json');
    const id = `inc-${Date.parse('2026-05-12T12:05:00Z') / 1000}-saturn-mosquitto`;
    assert.deepEqual(Object.keys(incidents), [id]);
    const inc = incidents[id];
    assert.equal(inc.id, id);
    assert.equal(inc.node, 'saturn');
    assert.equal(inc.service, 'mosquitto');
    assert.equal(inc.status, 'resolved');
    assert.equal(inc.severity, 'error');
    assert.equal(inc.started_at, '2026-05-12T12:05:00Z');
    assert.equal(inc.last_occurrence, '2026-05-12T12:06:00Z');
    assert.equal(inc.occurrence_count, 2);
    assert.deepEqual(inc.events, ['2026-05-12T12:05:00Z', '2026-05-12T12:06:00Z']);
    assert.equal(inc.correlation_id, 'hc-1');
    assert.equal(inc.resolved_at, '2026-05-12T12:10:00Z');
    const services = readJson(l.worldDir, 'services.json');
    assert.equal(services['saturn/mosquitto'].status, 'healthy');
    assert.equal(services['saturn/mosquitto'].active_incident, null);
    const summary = readJson(l.worldDir, 'runtime-summary.json');
    assert.equal(summary.as_of, '2026-05-12T12:10:00Z');
    assert.equal(summary.incidents.active, 0);
    assert.equal(summary.incidents.resolved, 1);
  } finally {
    l.cleanup();
  }
});

test('an active incident links from its service; a new failure after resolution opens a new incident', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0001.jsonl', [
      ...DOC_EXAMPLE,
      { timestamp: '2026-05-12T13:00:00Z', type: 'service_unhealthy', node: 'saturn', service: 'mosquitto', severity: 'critical', message: 'oom' },
    ]);
    const { files } = await rebuildWorld(l.eventsDir);
    const incidents = JSON.parse(files['incidents.json']) as Record<string, Incident>;
    assert.equal(Object.keys(incidents).length, 2);
    const open = Object.values(incidents).find((i) => i.status === 'active')!;
    assert.equal(open.severity, 'critical');
    assert.equal(open.resolved_at, null);
    const services = JSON.parse(files['services.json']);
    assert.equal(services['saturn/mosquitto'].active_incident, open.id);
    assert.equal(services['saturn/mosquitto'].status, 'unhealthy');
    assert.equal(services['saturn/mosquitto'].reason, 'oom');
    assert.equal(JSON.parse(files['runtime-summary.json']).incidents.active_by_severity.critical, 1);
  } finally {
    l.cleanup();
  }
});

test('service_recovered without a node resolves the service on every node', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, 'a.jsonl', [
      { timestamp: '2026-05-12T12:00:00Z', type: 'healthcheck_failed', node: 'a', service: 'dns' },
      { timestamp: '2026-05-12T12:00:01Z', type: 'healthcheck_failed', node: 'b', service: 'dns' },
      { timestamp: '2026-05-12T12:00:02Z', type: 'service_recovered', service: 'dns' },
    ]);
    const { world } = await rebuildWorld(l.eventsDir);
    assert.deepEqual(
      [...world.incidents.values()].map((i) => i.status),
      ['resolved', 'resolved'],
    );
  } finally {
    l.cleanup();
  }
});

test('deployments by correlation_id: start, stages, end, status, history; a failure attaches diagnostics to an incident', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0001.jsonl', [
      { timestamp: '2026-05-12T10:00:00Z', type: 'deployment_started', correlation_id: 'd-1', node: 'saturn', service: 'grafana' },
      { timestamp: '2026-05-12T10:00:05Z', type: 'deployment_stage', correlation_id: 'd-1', payload: { stage: 'pull', status: 'started' } },
      { timestamp: '2026-05-12T10:00:20Z', type: 'deployment_stage', correlation_id: 'd-1', payload: { stage: 'pull', status: 'succeeded' } },
      { timestamp: '2026-05-12T10:00:21Z', type: 'deployment_stage', correlation_id: 'd-1', payload: { stage: 'restart', status: 'started' } },
      {
        timestamp: '2026-05-12T10:01:00Z',
        type: 'deployment_failed',
        correlation_id: 'd-1',
        payload: { diagnostics: ['/opt/homelab/logs/d-1/restart.log'], log_file: '/opt/homelab/logs/d-1/full.log' },
      },
      { timestamp: '2026-05-12T11:00:00Z', type: 'deployment_started', correlation_id: 'd-2', node: 'saturn', service: 'loki' },
      { timestamp: '2026-05-12T11:02:00Z', type: 'deployment_succeeded', correlation_id: 'd-2' },
    ]);
    const { files } = await rebuildWorld(l.eventsDir);
    const deployments = JSON.parse(files['deployments.json']);
    const d1 = deployments['d-1'];
    assert.equal(d1.status, 'failed');
    assert.equal(d1.started_at, '2026-05-12T10:00:00Z');
    assert.equal(d1.ended_at, '2026-05-12T10:01:00Z');
    assert.equal(d1.duration_seconds, 60);
    assert.deepEqual(d1.stages, [
      { ended_at: '2026-05-12T10:00:20Z', name: 'pull', started_at: '2026-05-12T10:00:05Z', status: 'succeeded' },
      { ended_at: '2026-05-12T10:01:00Z', name: 'restart', started_at: '2026-05-12T10:00:21Z', status: 'failed' },
    ]);
    assert.equal(d1.history.length, 5);
    assert.deepEqual(d1.diagnostics, ['/opt/homelab/logs/d-1/restart.log', '/opt/homelab/logs/d-1/full.log']);
    assert.equal(deployments['d-2'].status, 'succeeded');
    const inc = Object.values(JSON.parse(files['incidents.json']) as Record<string, Incident>)[0]!;
    assert.equal(inc.service, 'grafana');
    assert.equal(inc.correlation_id, 'd-1');
    assert.deepEqual(inc.diagnostics, ['/opt/homelab/logs/d-1/restart.log', '/opt/homelab/logs/d-1/full.log']);
  } finally {
    l.cleanup();
  }
});

test('malformed lines are counted, logged with file and line, and skipped', async () => {
  const l = layout();
  try {
    writeEvents(l.eventsDir, '0001.jsonl', [
      DOC_EXAMPLE[0]!,
      '{not json',
      { timestamp: 'yesterday', type: 'healthcheck_failed', node: 'saturn', service: 'mosquitto' },
      { timestamp: '2026-05-12T12:05:30Z', type: 'healthcheck_failed', node: 'saturn' },
      '',
      DOC_EXAMPLE[1]!,
      { timestamp: '2026-05-12T12:07:00Z', type: 'something_new', node: 'saturn' },
    ]);
    const warnings: { file: string; line: number; reason: string }[] = [];
    const logger = { warn: (o: (typeof warnings)[number]) => warnings.push(o), info: () => {} } as unknown as Logger;
    const rt = new ObserverRuntime({ eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir }, { ...DEFAULT_OPTIONS, logger });
    await rt.open();
    await rt.catchUp();
    assert.deepEqual(
      warnings.map((w) => [w.file, w.line]),
      [
        ['0001.jsonl', 2],
        ['0001.jsonl', 3],
        ['0001.jsonl', 4],
      ],
    );
    assert.match(warnings[1]!.reason, /\/timestamp/);
    assert.match(warnings[2]!.reason, /\/service: required/);
    const summary = readJson(l.worldDir, 'runtime-summary.json');
    assert.deepEqual(summary.events, { applied: 2, ignored: 1, malformed_lines: 3 });
    assert.equal(Object.values(readJson(l.worldDir, 'incidents.json'))[0].occurrence_count, 2);
  } finally {
    l.cleanup();
  }
});

test('read size and non-ASCII text change nothing: the same world, the same bad lines reported by line and field', async () => {
  const l = layout();
  try {
    const failure = (minute: number, message: string) => ({
      timestamp: `2026-05-12T12:${String(minute).padStart(2, '0')}:00Z`,
      type: 'service_unhealthy',
      node: 'saturn',
      service: 'mosquitto',
      message,
    });
    writeEvents(l.eventsDir, '0001.jsonl', [
      failure(1, 'container exited'),
      '{"timestamp":"2026-05-12T12:02:00Z","type":"node_heartbeat","node":"saturn"',
      failure(3, 'réseau injoignable'),
      { timestamp: '2026-05-12T12:04:00Z', type: 'node_heartbeat', node: 'bad name' },
      failure(5, 'x'.repeat(300)),
    ]);
    writeEvents(l.eventsDir, '0002.jsonl', [
      { timestamp: '2026-05-12T12:06:00Z', type: 'node_heartbeat', node: 'saturn', severity: 'loud' },
      failure(7, 'dépôt plein'),
    ]);
    const run = async (chunkBytes: number) => {
      const warnings: { file: string; line: number; reason: string }[] = [];
      const logger = { warn: (o: (typeof warnings)[number]) => warnings.push(o), info: () => {} } as unknown as Logger;
      const worldDir = join(l.root, `world-${chunkBytes}`);
      const rt = new ObserverRuntime(
        { eventsDir: l.eventsDir, stateDir: join(l.root, `state-${chunkBytes}`), worldDir },
        { ...DEFAULT_OPTIONS, chunkBytes, logger },
      );
      await rt.open();
      await rt.catchUp();
      return { warnings: warnings.map((w) => `${w.file}:${w.line} ${w.reason}`), world: readWorld(worldDir) };
    };
    const whole = await run(DEFAULT_OPTIONS.chunkBytes);
    assert.deepEqual(whole.warnings, [
      '0001.jsonl:2 not valid JSON',
      '0001.jsonl:4 /node: a node name',
      '0002.jsonl:1 /severity: one of info, warning, error, critical',
    ]);
    const summary = JSON.parse(whole.world['runtime-summary.json']!);
    assert.deepEqual(summary.events, { applied: 4, ignored: 0, malformed_lines: 3 });
    const incident = Object.values(JSON.parse(whole.world['incidents.json']!) as Record<string, Incident>)[0]!;
    assert.equal(incident.occurrence_count, 4, 'the good lines around the bad ones all count');
    assert.equal(JSON.parse(whole.world['services.json']!)['saturn/mosquitto'].reason, 'dépôt plein');
    for (const chunkBytes of [16, 100, 1024]) assert.deepEqual(await run(chunkBytes), whole, `read ${chunkBytes} bytes at a time`);
  } finally {
    l.cleanup();
  }
});

test('inventory: declared nodes and services appear with their roles; invalid inventory names file and field', async () => {
  const l = layout();
  try {
    mkdirSync(join(l.repoDir, 'inventory'), { recursive: true });
    mkdirSync(join(l.repoDir, 'hosts', 'saturn'), { recursive: true });
    writeFileSync(join(l.repoDir, 'inventory', 'topology.yaml'), 'nodes:\n  - name: saturn\n    roles: [broker]\n    address: 10.0.0.5\n  - name: jupiter\n');
    writeFileSync(join(l.repoDir, 'hosts', 'saturn', 'services.yaml'), 'services:\n  - name: mosquitto\n    port: 1883\n  - name: grafana\n');
    writeEvents(l.eventsDir, '0001.jsonl', DOC_EXAMPLE);
    const { files } = await rebuildWorld(l.eventsDir, l.repoDir);
    const nodes = JSON.parse(files['nodes.json']);
    assert.deepEqual(Object.keys(nodes), ['jupiter', 'saturn']);
    assert.deepEqual(nodes.saturn.roles, ['broker']);
    assert.equal(nodes.saturn.last_seen, '2026-05-12T12:10:00Z');
    assert.equal(nodes.jupiter.status, 'unknown');
    const services = JSON.parse(files['services.json']);
    assert.equal(services['saturn/grafana'].status, 'unknown');
    assert.equal(services['saturn/mosquitto'].port, 1883);
    writeFileSync(join(l.repoDir, 'hosts', 'saturn', 'services.yaml'), 'services:\n  - name: mosquitto\n    port: "x"\n');
    await assert.rejects(rebuildWorld(l.eventsDir, l.repoDir), /services\.yaml: \/services\/0\/port/);
  } finally {
    l.cleanup();
  }
});

test('world files keep every field and sort keys at every level (checked against a deep key sort)', async () => {
  const { generateEvents } = await import('./generate.js');
  const { stableJson } = await import('../../../src/sources/observer/project.js');
  const l = layout();
  try {
    mkdirSync(join(l.repoDir, 'inventory'), { recursive: true });
    writeFileSync(join(l.repoDir, 'inventory', 'topology.yaml'), 'nodes:\n  - name: node-1\n    roles: [a, b]\n    address: x\n    description: d\n');
    mkdirSync(join(l.repoDir, 'hosts', 'node-1'), { recursive: true });
    writeFileSync(join(l.repoDir, 'hosts', 'node-1', 'services.yaml'), 'services:\n  - name: svc-1\n    port: 1\n    description: d\n    healthcheck: h\n');
    generateEvents(l.eventsDir, { events: 5000, files: 2, seed: 5 });
    writeEvents(l.eventsDir, 'zz.jsonl', [
      { timestamp: '2026-06-01T00:00:00Z', type: 'deployment_started', correlation_id: 'z', node: 'node-1', service: 'svc-1' },
      { timestamp: '2026-06-01T00:00:01Z', type: 'deployment_stage', correlation_id: 'z', message: 'm', payload: { stage: 's', status: 'started' } },
      { timestamp: '2026-06-01T00:00:02Z', type: 'deployment_failed', correlation_id: 'z', payload: { diagnostics: ['/d'] } },
    ]);
    const { files } = await rebuildWorld(l.eventsDir, l.repoDir);
    for (const [name, text] of Object.entries(files)) {
      const parsed = JSON.parse(text);
      assert.equal(JSON.stringify(parsed), JSON.stringify(JSON.parse(stableJson(parsed))), `${name} keys not sorted`);
    }
    // nothing dropped: every field of the in-memory entities appears in the files
    const incidents = JSON.parse(files['incidents.json']);
    const { world } = await rebuildWorld(l.eventsDir, l.repoDir);
    for (const inc of world.incidents.values()) assert.deepEqual(incidents[inc.id], JSON.parse(JSON.stringify(inc)));
    const deployments = JSON.parse(files['deployments.json']);
    const z = world.deployments.get('z')!;
    const { duration_seconds, ...rest } = deployments.z;
    assert.equal(duration_seconds, 2);
    assert.deepEqual(rest, JSON.parse(JSON.stringify(z)));
    assert.equal(deployments.z.history[1].message, 'm');
    const nodes = JSON.parse(files['nodes.json']);
    assert.deepEqual(Object.keys(nodes['node-1']).length, 8);
    assert.deepEqual(Object.keys(JSON.parse(files['services.json'])['node-1/svc-1']).length, 12);
  } finally {
    l.cleanup();
  }
});
