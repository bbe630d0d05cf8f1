// The deployment manifests in docs/deploy/kubernetes, checked statically (no cluster here): read-only RBAC that
// covers exactly what the source requests from the API server, and a collector configuration the source accepts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { parse, parseAllDocuments } from 'yaml';
import { kubernetesSource } from '../../../src/sources/kubernetes/index.js';
import { node, pod } from './builders.js';
import { startHarness } from './harness.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const docs = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(new URL(`../../../../docs/deploy/kubernetes/${file}`, import.meta.url), 'utf8')).map((d) => d.toJS() as Obj);
const rbac = docs('rbac.yaml');
const collector = docs('collector.yaml');
const find = (list: Obj[], kind: string) => list.find((d) => d.kind === kind)!;

/** (API group, resource, verb) of a request the source made. */
function permissionFor(path: string, query: Record<string, string>): string {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/[^/]+)?\/([^/]+)$/.exec(path);
  assert.ok(m, `unexpected request path ${path}`);
  return `${m[1] ?? ''}/${m[2]}/${query.watch === 'true' ? 'watch' : 'list'}`;
}

test('the ClusterRole is read-only and grants exactly what the source requests', async () => {
  const role = find(rbac, 'ClusterRole');
  const granted = new Set<string>();
  for (const rule of role.rules as Obj[]) {
    for (const verb of rule.verbs as string[]) assert.ok(['get', 'list', 'watch'].includes(verb), `read-only verb, not ${verb}`);
    for (const g of rule.apiGroups as string[]) for (const r of rule.resources as string[]) for (const v of rule.verbs as string[]) granted.add(`${g}/${r}/${v}`);
  }
  const h = await startHarness((api) => {
    api.add('nodes', node('n1'));
    api.add('pods', pod('default', 'p1', 'n1'));
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

test('the binding, the Deployment and the ServiceAccount fit together; one replica, never two at once', () => {
  const sa = find(rbac, 'ServiceAccount');
  const binding = find(rbac, 'ClusterRoleBinding');
  assert.equal(binding.roleRef.name, find(rbac, 'ClusterRole').metadata.name);
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
  const deployment = find(collector, 'Deployment');
  assert.equal(deployment.metadata.namespace, sa.metadata.namespace);
  assert.equal(deployment.spec.template.spec.serviceAccountName, sa.metadata.name);
  assert.equal(deployment.spec.replicas, 1);
  assert.equal(deployment.spec.strategy.type, 'Recreate');
  const container = deployment.spec.template.spec.containers[0];
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
});

test('the embedded collector configuration passes the kubernetes source schema', () => {
  const config = parse(find(collector, 'ConfigMap').data['collector.yaml']) as Obj;
  const { enabled, interval, timeout, ...own } = config.sources.kubernetes as Obj;
  assert.equal(enabled, true);
  assert.match(`${interval} ${timeout}`, /^\d+s \d+s$/);
  const merged = { ...kubernetesSource.defaults, ...own };
  assert.ok(Value.Check(kubernetesSource.configSchema as never, merged), JSON.stringify([...Value.Errors(kubernetesSource.configSchema as never, merged)]));
  assert.equal(config.sources.os.enabled, false);
});
