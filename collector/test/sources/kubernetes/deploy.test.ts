// The deployment manifests in docs/deploy/kubernetes, checked statically (no cluster here). That the RBAC covers
// exactly what the source requests from the API server is checked in source.test.ts, where the source runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { kubernetesSource } from '../../../src/sources/kubernetes/index.js';

import { deployDocs, find, type Obj } from './manifests.js';

const rbac = deployDocs('rbac.yaml');
const collector = deployDocs('collector.yaml');

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
