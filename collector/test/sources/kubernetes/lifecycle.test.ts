// The pure parts: transitions from object sequences (orders the API can produce), quantities, shape checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ContractRecord, validateRecord } from '@harmonix/contract';
import { cleanText, LifecycleTracker, type Transition } from '../../../src/sources/kubernetes/lifecycle.js';
import { TopologyState } from '../../../src/topology/state.js';
import { problemWith, type KubeNode, type KubePod } from '../../../src/sources/kubernetes/objects.js';
import { parseQuantity } from '../../../src/sources/kubernetes/quantity.js';
import { node, pod } from './builders.js';

const NOW = Date.parse('2026-01-02T00:00:00Z');
const brief = (ts: { type: string; time: string }[]) => ts.map((t) => `${t.type}@${t.time.slice(11, 19)}`);

test('a node first seen NotReady joins (at creation) and fails at once; its pods wait for it to recover', () => {
  const t = new LifecycleTracker(() => NOW);
  assert.deepEqual(brief(t.upsertPod(pod('default', 'p', 'n1') as KubePod)), [], 'pod on an unknown node waits');
  const out = t.upsertNode(node('n1', 'Unknown', '2026-01-01T00:03:00Z') as KubeNode);
  assert.deepEqual(brief(out), ['node.joined@00:00:00', 'node.failed@00:03:00']);
  assert.equal((out[1] as { reason: string }).reason, 'NodeStatusUnknown');
  assert.deepEqual(brief(t.upsertNode(node('n1', 'True', '2026-01-01T00:04:00Z') as KubeNode)), ['node.recovered@00:04:00', 'actor.spawned@00:04:00']);
});

test('pods listed before their node: spawned when the node joins, no earlier than the join', () => {
  const t = new LifecycleTracker(() => NOW);
  t.upsertPod(pod('default', 'p', 'n1', '2026-01-01T00:00:30Z') as KubePod);
  assert.deepEqual(brief(t.upsertNode(node('n1', 'True', '2026-01-01T00:01:00Z') as KubeNode)), ['node.joined@00:01:00', 'actor.spawned@00:01:00']);
});

test('a pod name reused by a new object (delete missed): the old one exits, the new one spawns', () => {
  const t = new LifecycleTracker(() => NOW);
  t.upsertNode(node('n1') as KubeNode);
  t.upsertPod(pod('db', 'postgres-0', 'n1') as KubePod);
  const reborn = pod('db', 'postgres-0', 'n1', '2026-01-01T00:09:00Z') as KubePod;
  reborn.metadata.uid = 'uid-new';
  reborn.metadata.creationTimestamp = '2026-01-01T00:08:50Z';
  const out = t.upsertPod(reborn);
  assert.deepEqual(brief(out), ['actor.exited@00:08:50', 'actor.spawned@00:09:00'], 'the old one was gone when the new one was created');
  assert.equal((out[0] as { reason: string }).reason, 'Replaced');
  assert.deepEqual(t.deletePod(pod('db', 'postgres-0', 'n1') as KubePod), [], 'a late delete of the old uid changes nothing');
});

test('the same object twice, or an unchanged update, yields nothing', () => {
  const t = new LifecycleTracker(() => NOW);
  const n = node('n1') as KubeNode;
  const p = pod('default', 'p', 'n1') as KubePod;
  assert.equal(t.upsertNode(n).length, 1);
  assert.equal(t.upsertPod(p).length, 1);
  assert.deepEqual(t.upsertNode(n), []);
  assert.deepEqual(t.upsertPod(p), []);
  assert.deepEqual(t.upsertPod(structuredClone(p)), []);
});

test('a deletion deadline in the future is clamped to the time seen', () => {
  const t = new LifecycleTracker(() => NOW);
  t.upsertNode(node('n1') as KubeNode);
  const p = pod('default', 'p', 'n1') as KubePod;
  t.upsertPod(p);
  const gone = structuredClone(p);
  gone.metadata.deletionTimestamp = '2026-01-02T00:00:30Z';
  assert.deepEqual(brief(t.deletePod(gone)), ['actor.exited@00:00:00']);
});

test('reasons are printable and bounded', () => {
  assert.equal(cleanText('a\nb\u0000c'), 'a b c');
  assert.equal(cleanText('x'.repeat(600)).length, 512);
});

test('quantities', () => {
  const cases: [string, number | undefined][] = [
    ['4', 4],
    ['3500m', 3.5],
    ['250000000n', 0.25],
    ['1500u', 0.0015],
    ['8Gi', 8 * 2 ** 30],
    ['4028904Ki', 4028904 * 1024],
    ['1.5G', 1.5e9],
    ['129e6', 129e6],
    ['1k', 1000],
    ['', undefined],
    ['12 Mi', undefined],
    ['Gi', undefined],
    ['1Qi', undefined],
  ];
  for (const [text, value] of cases) assert.equal(parseQuantity(text), value, text);
});

test('shape checks name the offending field', () => {
  assert.equal(problemWith('nodes', node('n1')), undefined);
  assert.equal(problemWith('pods', pod('a', 'b', 'n1')), undefined);
  assert.equal(problemWith('pods', { metadata: { namespace: 'a', uid: 'u' } }), 'object.metadata.name: expected a name (1-253 printable characters)');
  const p = pod('a', 'b', 'n1') as unknown as { status: { containerStatuses: { restartCount: unknown }[] } };
  p.status.containerStatuses[0]!.restartCount = 'three';
  assert.equal(problemWith('pods', p), 'object.status.containerStatuses[0].restartCount: expected a non-negative integer');
  assert.equal(problemWith('nodes', { metadata: { name: 'n' }, status: { conditions: 'Ready' } }), 'object.status.conditions: expected an array');
  assert.equal(problemWith('nodes', { metadata: { name: 'n\u0007' } }), 'object.metadata.name: expected a name (1-253 printable characters)');
  assert.equal(problemWith('nodes', null), 'object: expected an object');
  assert.equal(
    problemWith('pods', { metadata: { name: 'b', namespace: 'a', uid: 'u', deletionTimestamp: 'yesterday' } }),
    'object.metadata.deletionTimestamp: expected an RFC 3339 time',
  );
});

test('NotReady node: its pods are unknown; a pod deleted meanwhile exits with its own reason, a survivor runs again after recovery', () => {
  const t = new LifecycleTracker(() => NOW);
  const state = new TopologyState();
  let seq = 0;
  const apply = (ts: Transition[]) => {
    for (const tr of ts) {
      const r = state.apply({ v: 1, emitter: 'k8s-test', seq: ++seq, ...tr } as ContractRecord);
      assert.ok(r.applied && !r.anomaly, `${tr.type} applied cleanly: ${JSON.stringify(r.anomaly)}`);
    }
    return brief(ts);
  };
  apply(t.upsertNode(node('n1', 'True', '2026-01-01T00:01:00Z') as KubeNode));
  for (const name of ['deleted', 'evicted', 'survivor', 'restarted']) apply(t.upsertPod(pod('default', name, 'n1') as KubePod));
  assert.deepEqual(apply(t.upsertNode(node('n1', 'False', '2026-01-01T00:05:00Z') as KubeNode)), ['node.failed@00:05:00']);
  assert.deepEqual(
    [...state.actors.values()].map((a) => a.state),
    ['unknown', 'unknown', 'unknown', 'unknown'],
  );

  const deleted = pod('default', 'deleted', 'n1') as KubePod;
  deleted.metadata.deletionTimestamp = '2026-01-01T00:06:00Z';
  const gone = t.deletePod(deleted);
  assert.deepEqual(apply(gone), ['actor.exited@00:06:00']);
  assert.equal((gone[0] as { reason: string }).reason, 'Deleted');
  const evicted = pod('default', 'evicted', 'n1') as KubePod;
  evicted.metadata.deletionTimestamp = '2026-01-01T00:06:30Z';
  evicted.status = { ...evicted.status, reason: 'Evicted' } as KubePod['status'];
  const out = t.deletePod(evicted);
  assert.equal((out[0] as { reason: string }).reason, 'Evicted');
  apply(out);
  assert.deepEqual(apply(t.upsertPod(pod('default', 'survivor', 'n1') as KubePod)), [], 'still NotReady: the pod stays unknown');

  const restarted = pod('default', 'restarted', 'n1', '2026-01-01T00:07:00Z') as KubePod;
  restarted.status!.containerStatuses![0]!.restartCount = 1;
  apply(t.upsertPod(restarted));
  assert.deepEqual(apply(t.upsertNode(node('n1', 'True', '2026-01-01T00:16:00Z') as KubeNode)), [
    'node.recovered@00:16:00',
    'actor.spawned@00:16:00', // the survivor, confirmed running by the API
    'actor.restarted@00:16:00', // restarted while unknown: its own restart record
  ]);
  const states = Object.fromEntries([...state.actors.values()].map((a) => [a.ref.name, [a.state, a.reason]]));
  assert.deepEqual(states, {
    deleted: ['exited', 'Deleted'],
    evicted: ['exited', 'Evicted'],
    survivor: ['running', undefined],
    restarted: ['running', undefined],
  });
});

test('a pending pod stuck waiting (ImagePullBackOff, …) is an audit per container and new reason; routine waits are not; it spawns once running', () => {
  const t = new LifecycleTracker(() => NOW);
  t.upsertNode(node('n1') as KubeNode);
  const waiting = (reason: string, message?: string) => {
    const p = pod('shop', 'web-7d9f', 'n1') as KubePod;
    p.status = {
      phase: 'Pending',
      containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason, ...(message && { message }) } } }],
    };
    return p;
  };
  assert.deepEqual(t.upsertPod(waiting('ContainerCreating')), [], 'every pod passes through ContainerCreating');
  const pulled = t.upsertPod(waiting('ErrImagePull', 'rpc error: pull access denied\nfor registry.example/web'));
  assert.deepEqual(
    pulled.map((x) => x.type),
    ['audit'],
  );
  const audit = pulled[0] as Extract<Transition, { type: 'audit' }>;
  assert.equal(audit.subject, 'k8s:shop/web-7d9f');
  assert.equal(audit.severity, 'warning');
  assert.equal(audit.time, new Date(NOW).toISOString(), 'Kubernetes records no time for a waiting state: the time it was seen');
  assert.equal(audit.message, 'container web waiting: ErrImagePull (rpc error: pull access denied for registry.example/web)');
  assert.equal(audit.attributes['k8s.container.status.reason'], 'ErrImagePull');
  assert.deepEqual(t.upsertPod(waiting('ErrImagePull')), [], 'the same reason again is not news');
  assert.deepEqual(
    t.upsertPod(waiting('ImagePullBackOff')).map((x) => x.type),
    ['audit'],
    'a new reason is',
  );
  const record = { v: 1, emitter: 'k8s-test', seq: 1, ...audit };
  assert.deepEqual(validateRecord(record).ok ? [] : (validateRecord(record) as { errors: unknown }).errors, [], 'the contract schema accepts it');
  const state = new TopologyState();
  const applied = state.apply(record as ContractRecord);
  assert.ok(applied.applied && !applied.anomaly, 'the audit is a valid contract record that changes no entity');
  assert.equal(state.actors.size, 0);
  assert.deepEqual(brief(t.upsertPod(pod('shop', 'web-7d9f', 'n1') as KubePod)), ['actor.spawned@00:02:00'], 'running at last: the actor appears');
});
