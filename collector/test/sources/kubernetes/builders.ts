// Minimal real-shaped Node and Pod objects for the tests that are not scenario files.
export function node(name: string, ready: 'True' | 'False' | 'Unknown' = 'True', at = '2026-01-01T00:01:00Z') {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
    status: {
      allocatable: { cpu: '2', memory: '4Gi' },
      conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'NodeStatusUnknown', lastTransitionTime: at }],
    },
  };
}

export function pod(namespace: string, name: string, nodeName: string, startedAt = '2026-01-01T00:02:00Z', labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, creationTimestamp: '2026-01-01T00:01:30Z', labels },
    spec: { nodeName, containers: [{ name: 'main', image: 'busybox:1.36' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: { startedAt } } }],
    },
  };
}

/** The smallest cluster: node n1 (Ready) running pod default/p1. */
export function nodeWithPod(api: { add(resource: 'nodes' | 'pods', object: Record<string, unknown>): unknown }): void {
  api.add('nodes', node('n1'));
  api.add('pods', pod('default', 'p1', 'n1'));
}
