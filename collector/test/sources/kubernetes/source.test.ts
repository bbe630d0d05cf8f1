// The source against the fake API server: health when the API goes away and comes back (also inside a real
// collector: /status, /v1/topology, /metrics), filters, metrics-server usage, what the client asks the server
// for (and that the deploy RBAC allows it), config errors. One file, so client-node is imported once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubernetesSource } from '../../../src/sources/kubernetes/index.js';
import { testCollector } from '../../support/collector.js';
import { createTestContext } from '../../support/context.js';
import { node, nodeWithPod, pod } from './builders.js';
import { byEntity, eventually, kubeconfigFor, sample, shape, startHarness } from './harness.js';
import { deployDocs, find, type Obj } from './manifests.js';

const collectOutcome = async (collect: () => Promise<unknown>) => {
  try {
    await collect();
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
};

test('API unreachable: collect() throws; the watches come back by themselves and deliver what happened meanwhile', async () => {
  const h = await startHarness(nodeWithPod);
  try {
    await h.settle();
    assert.ok((await h.collect()).length > 0);
    const port = h.api.port;
    await h.api.stop();
    await eventually(() => h.source.watchState().pods.error !== undefined, 'the source to notice the API is gone');
    await assert.rejects(h.collect(), /kubernetes API unreachable: .*ECONNREFUSED/);
    // The cluster moves on while we cannot see it; history still covers it when the API answers again.
    h.api.remove('pods', 'default/p1', { metadata: { deletionTimestamp: '2026-01-01T00:05:00Z' } });
    await h.api.start(port);
    await eventually(() => h.source.watchState().pods.error === undefined && h.source.watchState().nodes.error === undefined, 'recovery');
    await h.settle();
    assert.equal(await collectOutcome(() => h.collect()), 'ok');
    assert.deepEqual(
      byEntity(h.ctx.records.map(shape)),
      byEntity([
        { type: 'node.joined', id: 'k8s:n1', time: '2026-01-01T00:01:00.000Z' },
        { type: 'actor.spawned', id: 'k8s:default/p1', on: 'k8s:n1', time: '2026-01-01T00:02:00.000Z' },
        { type: 'actor.exited', id: 'k8s:default/p1', on: 'k8s:n1', time: '2026-01-01T00:05:00.000Z', reason: 'Deleted' },
      ]),
    );
    assert.deepEqual(h.ctx.invalid, []);
  } finally {
    await h.close();
  }
});

test('API down at start: collect() fails fast (not a hang) until the API appears, then the cluster joins', async () => {
  const h = await startHarness((api) => api.add('nodes', node('n1')), {}, { apiDown: true });
  try {
    await assert.rejects(h.collect(), /unreachable|ECONNREFUSED/);
    assert.deepEqual(h.ctx.records, []);
    await h.api.start(h.api.port);
    await eventually(() => h.ctx.records.length === 1, 'the node to join once the API answers');
    assert.deepEqual(h.ctx.records.map(shape), [{ type: 'node.joined', id: 'k8s:n1', time: '2026-01-01T00:01:00.000Z' }]);
    await h.settle();
    assert.equal(sample(await h.collect(), 'k8s.node.cpu.allocatable', { 'k8s.node.name': 'n1' }).value, 2);
  } finally {
    await h.close();
  }
});

test('namespace and label filters: only matching pods are listed, watched and placed; bookmarks are requested', async () => {
  const h = await startHarness(
    (api) => {
      api.add('nodes', node('n1'));
      api.add('pods', pod('shop', 'web', 'n1', '2026-01-01T00:02:00Z', { app: 'web' }));
      api.add('pods', pod('shop', 'db', 'n1', '2026-01-01T00:02:00Z', { app: 'db' }));
      api.add('pods', pod('other', 'web', 'n1', '2026-01-01T00:02:00Z', { app: 'web' }));
    },
    { namespace: 'shop', labelSelector: 'app=web' },
  );
  try {
    await h.settle();
    h.api.add('pods', pod('shop', 'web-2', 'n1', '2026-01-01T00:03:00Z', { app: 'web' }));
    h.api.add('pods', pod('shop', 'db-2', 'n1', '2026-01-01T00:03:00Z', { app: 'db' }));
    await h.settle();
    assert.deepEqual(
      h.ctx.records
        .filter((r) => r.type === 'actor.spawned')
        .map((r) => shape(r).id)
        .sort(),
      ['k8s:shop/web', 'k8s:shop/web-2'],
    );
    const podRequests = h.api.requests.filter((r) => r.path.endsWith('/pods') && !r.path.startsWith('/apis'));
    assert.ok(podRequests.length >= 2);
    for (const r of podRequests) {
      assert.equal(r.path, '/api/v1/namespaces/shop/pods');
      assert.equal(r.query.labelSelector, 'app=web');
      assert.equal(r.authorization, 'Bearer test-token');
    }
    const watches = h.api.requests.filter((r) => r.query.watch === 'true');
    assert.ok(watches.length >= 2);
    for (const w of watches) {
      assert.equal(w.query.allowWatchBookmarks, 'true');
      const timeoutSeconds = Number(w.query.timeoutSeconds);
      assert.ok(timeoutSeconds >= 300 && timeoutSeconds < 600, 'the server is asked to end the watch after 5-10 minutes');
      assert.match(w.query.resourceVersion ?? '', /^\d+$/, 'a watch resumes from the list resourceVersion');
    }
    const observations = await h.collect();
    assert.deepEqual([...new Set(observations.filter((o) => o.metric === 'k8s.pod.status.phase').map((o) => o.attributes?.['k8s.pod.name']))].sort(), [
      'web',
      'web-2',
    ]);
  } finally {
    await h.close();
  }
});

test('metrics-server: pod usage summed over containers when metrics.k8s.io answers, silently absent when not', async () => {
  const h = await startHarness(nodeWithPod);
  try {
    await h.settle();
    const without = await h.collect();
    assert.deepEqual(
      without.filter((o) => o.metric.startsWith('k8s.pod.cpu') || o.metric.startsWith('k8s.pod.memory')),
      [],
    );
    h.api.podMetrics = [
      {
        metadata: { name: 'p1', namespace: 'default' },
        timestamp: '2026-01-01T00:10:00Z',
        window: '15s',
        containers: [
          { name: 'main', usage: { cpu: '250000000n', memory: '64Mi' } },
          { name: 'sidecar', usage: { cpu: '5m', memory: '1024Ki' } },
        ],
      },
      { metadata: { name: 'not-watched', namespace: 'default' }, containers: [{ name: 'x', usage: { cpu: '1', memory: '1Gi' } }] },
    ];
    const withUsage = await h.collect();
    const attributes = { 'k8s.pod.name': 'p1', 'k8s.namespace.name': 'default', 'k8s.pod.uid': 'uid-default-p1', 'k8s.node.name': 'n1' };
    assert.equal(sample(withUsage, 'k8s.pod.cpu.usage', attributes).value, 0.255);
    assert.equal(sample(withUsage, 'k8s.pod.memory.usage', attributes).value, 64 * 2 ** 20 + 2 ** 20);
    assert.equal(withUsage.filter((o) => o.metric === 'k8s.pod.cpu.usage').length, 1, 'only pods the informer knows');
  } finally {
    await h.close();
  }
});

test('every observation is a declared metric with only declared attribute keys', async () => {
  const h = await startHarness((api) => {
    nodeWithPod(api);
    api.podMetrics = [{ metadata: { name: 'p1', namespace: 'default' }, containers: [{ usage: { cpu: '1m', memory: '1Ki' } }] }];
  });
  try {
    await h.settle();
    const declared = new Map<string, Set<string>>(h.source.metrics.map((m) => [m.name, new Set<string>(m.attributes)]));
    const observations = await h.collect();
    assert.ok(observations.length > 10);
    for (const o of observations) {
      const keys = declared.get(o.metric);
      assert.ok(keys, `${o.metric} is declared`);
      for (const k of Object.keys(o.attributes ?? {})) assert.ok(keys.has(k), `${o.metric} declares ${k}`);
      assert.ok(Number.isFinite(o.value));
    }
  } finally {
    await h.close();
  }
});

test('configuration errors name the key and surface through collect(), without throwing from start()', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hmx-k8s-cfg-'));
  try {
    const missing = kubernetesSource.create({ ...kubernetesSource.defaults, kubeconfig: join(dir, 'nope') });
    const ctx = createTestContext();
    await missing.start?.(ctx);
    await assert.rejects(missing.collect(ctx, AbortSignal.timeout(5000)), /sources\.kubernetes\.kubeconfig: no such file/);
    await missing.stop?.();

    const file = join(dir, 'kubeconfig');
    await writeFile(file, kubeconfigFor('http://127.0.0.1:9'));
    const badContext = kubernetesSource.create({ ...kubernetesSource.defaults, kubeconfig: file, context: 'prod' });
    await badContext.start?.(ctx);
    await assert.rejects(badContext.collect(ctx, AbortSignal.timeout(5000)), /sources\.kubernetes\.context: no context named "prod"/);
    await badContext.stop?.();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('KUBECONFIG is used when no kubeconfig path is configured', async () => {
  const h = await startHarness((api) => api.add('nodes', node('n1')));
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = h.kubeconfig;
  const source = kubernetesSource.create({ ...kubernetesSource.defaults, kubeconfig: '', reconnectInitialMs: 20 });
  const ctx = createTestContext();
  try {
    await source.start?.(ctx);
    await ctx.waitForRecords(1);
    assert.deepEqual(ctx.records.map(shape), [{ type: 'node.joined', id: 'k8s:n1', time: '2026-01-01T00:01:00.000Z' }]);
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await source.stop?.();
    await h.close();
  }
});

test('bookmarks advance the resume point: a dropped node watch resumes from the bookmark, not its last node event', async () => {
  const h = await startHarness(nodeWithPod);
  try {
    await h.settle();
    const lastNodeRv = h.source.watchState().nodes.resourceVersion;
    h.api.modify('pods', 'default/p1', { metadata: { labels: { touched: 'yes' } } });
    await h.settle(); // only a BOOKMARK tells the node watch about this resourceVersion
    const bookmarked = String(h.api.rv);
    assert.notEqual(bookmarked, lastNodeRv);
    assert.equal(h.source.watchState().nodes.resourceVersion, bookmarked);
    const before = h.api.requests.length;
    h.api.drop();
    await h.settle();
    const resumed = h.api.requests.slice(before).filter((r) => r.path === '/api/v1/nodes');
    assert.deepEqual(
      resumed.map((r) => [r.query.watch, r.query.resourceVersion]),
      [['true', bookmarked]],
      'one watch, no relist',
    );
  } finally {
    await h.close();
  }
});

/** (API group, resource, verb) of a request the source made. */
function permissionFor(path: string, query: Record<string, string>): string {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/[^/]+)?\/([^/]+)$/.exec(path);
  assert.ok(m, `unexpected request path ${path}`);
  return `${m[1] ?? ''}/${m[2]}/${query.watch === 'true' ? 'watch' : 'list'}`;
}

test('the ClusterRole is read-only and grants exactly what the source requests', async () => {
  const role = find(deployDocs('rbac.yaml'), 'ClusterRole');
  const granted = new Set<string>();
  for (const rule of role.rules as Obj[]) {
    for (const verb of rule.verbs as string[]) assert.ok(['get', 'list', 'watch'].includes(verb), `read-only verb, not ${verb}`);
    for (const g of rule.apiGroups as string[])
      for (const r of rule.resources as string[]) for (const v of rule.verbs as string[]) granted.add(`${g}/${r}/${v}`);
  }
  const h = await startHarness((api) => {
    nodeWithPod(api);
    api.podMetrics = [];
  });
  try {
    await h.settle();
    await h.collect();
    const used = new Set(h.api.requests.map((r) => permissionFor(r.path, r.query)));
    assert.deepEqual([...used].sort(), ['/nodes/list', '/nodes/watch', '/pods/list', '/pods/watch', 'metrics.k8s.io/pods/list']);
    for (const p of used) assert.ok(granted.has(p), `RBAC grants ${p}`);
    const resources = new Set([...granted].map((g) => g.split('/').slice(0, 2).join('/')));
    assert.deepEqual([...resources].sort(), ['/nodes', '/pods', 'metrics.k8s.io/pods'], 'nothing beyond what is read');
  } finally {
    await h.close();
  }
});

const json = async (url: string) => (await fetch(url)).json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Whether the Prometheus text has a `name` series carrying every label (any order) with this value. */
const series = (text: string, name: string, labels: string[], value: string) =>
  text.split('\n').some((line) => line.startsWith(`${name}{`) && line.endsWith(`} ${value}`) && labels.every((l) => line.includes(l)));

test('collector: k8s nodes and pods on /v1/topology and /metrics; /status unhealthy while the API is down, then ok', async () => {
  const h = await startHarness(nodeWithPod);
  await h.source.stop(); // the harness only provides the fake API and a kubeconfig here
  const collector = await testCollector({
    sources: { kubernetes: { enabled: true, interval: '1s', timeout: '2s', kubeconfig: h.kubeconfig, reconnectInitialMs: 20, reconnectMaxMs: 200 } },
  });
  const status = async () => (await json(`${collector.url}/status`)).sources.kubernetes;
  let last: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const waitStatus = async (check: (s: any) => boolean, what: string) => {
    const deadline = Date.now() + 15000;
    while (!check((last = await status()))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await eventually(() => collector.topology.state.actors.has('k8s:default/p1'), 'the pod on the topology');
    const topology = await json(`${collector.url}/v1/topology`);
    assert.deepEqual(
      topology.nodes.filter((n: { id: string }) => n.id.startsWith('k8s:')).map((n: { id: string; layer: string; state: string }) => [n.id, n.layer, n.state]),
      [['k8s:n1', 'kubernetes', 'up']],
    );
    assert.equal(topology.actors.find((a: { id: string }) => a.id === 'k8s:default/p1')?.node, 'k8s:n1');
    await waitStatus((s) => s.state === 'ok' && s.collections > 0, 'a successful collection');
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    assert.ok(series(metrics, 'k8s_pod_status_phase', ['k8s_pod_name="p1"', 'k8s_pod_status_phase="Running"', 'k8s_pod_uid="uid-default-p1"'], '1'));
    assert.ok(series(metrics, 'k8s_node_condition_status', ['k8s_node_name="n1"', 'k8s_node_condition_status="true"'], '1'));
    assert.ok(series(metrics, 'k8s_container_restart_count', ['k8s_pod_name="p1"', 'k8s_container_name="main"'], '0'));

    const port = h.api.port;
    await h.api.stop();
    await waitStatus((s) => s.state !== 'ok' && /kubernetes API unreachable/.test(s.lastError?.message ?? ''), 'the source marked failing');
    assert.equal(last.lastError.reason, 'econnrefused');
    await h.api.start(port);
    await waitStatus((s) => s.state === 'ok', 'recovery without a restart');
  } finally {
    await collector.stop();
    await h.close();
  }
});

test('collector: a NotReady node, a pod deleted meanwhile, recovery, a deleted node — /v1/topology and /metrics say each', async () => {
  const h = await startHarness((api) => {
    api.add('nodes', node('n1'));
    api.add('pods', pod('default', 'stays', 'n1'));
    api.add('pods', pod('default', 'goes', 'n1'));
  });
  await h.source.stop();
  const collector = await testCollector({
    sources: { kubernetes: { enabled: true, interval: '1s', timeout: '2s', kubeconfig: h.kubeconfig, reconnectInitialMs: 20, reconnectMaxMs: 200 } },
  });
  const actor = (name: string) => collector.topology.state.actors.get(`k8s:default/${name}`);
  const metrics = async () => (await fetch(`${collector.url}/metrics`)).text();
  const lines = (text: string, name: string, label: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(label));
  const until = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const ready = (status: 'True' | 'False', at: string) => ({
    status: { conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'NodeStatusUnknown', lastTransitionTime: at }] },
  });
  try {
    await eventually(() => actor('stays')?.state === 'running' && actor('goes')?.state === 'running', 'both pods running');
    await until(async () => lines(await metrics(), 'k8s_pod_status_phase', 'k8s_pod_name="goes"').length > 0, 'the pod series on /metrics');

    h.api.modify('nodes', 'n1', ready('False', new Date().toISOString()));
    await eventually(() => actor('stays')?.state === 'unknown' && actor('goes')?.state === 'unknown', 'both pods unknown');
    let text = await metrics();
    assert.deepEqual(lines(text, 'hmx_actor_up', 'hmx_actor_id="k8s:default/stays"'), [], 'an unknown actor has no hmx_actor_up sample');
    assert.equal(lines(text, 'hmx_actor_restarts_total', 'hmx_actor_id="k8s:default/stays"').length, 1, 'its restart count is still known');

    h.api.remove('pods', 'default/goes', { metadata: { deletionTimestamp: new Date().toISOString() } });
    await eventually(() => actor('goes')?.state === 'exited', 'the deleted pod exited through its own record');
    assert.equal(actor('goes')?.reason, 'Deleted');
    await until(async () => lines(await metrics(), 'k8s_pod_status_phase', 'k8s_pod_name="goes"').length === 0, 'no pod series of the deleted pod');
    text = await metrics();
    assert.deepEqual(lines(text, 'k8s_container_ready', 'k8s_pod_name="goes"'), []);
    assert.ok(
      lines(text, 'hmx_actor_up', 'hmx_actor_id="k8s:default/goes"').some((l) => l.endsWith(' 0')),
      'the exited actor says 0',
    );

    h.api.modify('nodes', 'n1', ready('True', new Date().toISOString()));
    await eventually(() => actor('stays')?.state === 'running', 'the surviving pod runs again after recovery');
    assert.ok(lines(await metrics(), 'hmx_actor_up', 'hmx_actor_id="k8s:default/stays"').some((l) => l.endsWith(' 1')));

    h.api.remove('nodes', 'n1');
    await eventually(() => !collector.topology.state.nodes.has('k8s:n1'), 'the node left');
    await until(async () => lines(await metrics(), 'k8s_node_condition_status', 'k8s_node_name="n1"').length === 0, 'no node series of the deleted node');
    assert.deepEqual(lines(await metrics(), 'hmx_actor_up', 'k8s:default/stays'), [], 'no actor series once its node left');
  } finally {
    await collector.stop();
    await h.close();
  }
});
