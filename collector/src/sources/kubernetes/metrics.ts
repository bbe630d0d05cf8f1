// The Kubernetes source's metrics, named and shaped per the OpenTelemetry k8s semantic conventions. Entity identity
// (node, pod, namespace) is on every data point, because the exporter's resource describes the collector's host.
import type { MetricDescriptor, Observation } from '../../core/observation.js';
import { cleanText } from './lifecycle.js';
import type { ContainerStatus, KubeNode, KubePod } from './objects.js';
import { parseQuantity } from './quantity.js';

const POD = ['k8s.node.name', 'k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid'] as const;

export const kubernetesMetrics = [
  {
    name: 'k8s.node.condition.status',
    kind: 'updowncounter',
    unit: '{node}',
    description: 'Node condition: 1 for the status the condition has, 0 for the others',
    attributes: ['k8s.node.name', 'k8s.node.condition.type', 'k8s.node.condition.status'],
  },
  {
    name: 'k8s.node.cpu.allocatable',
    kind: 'updowncounter',
    unit: '{cpu}',
    description: 'CPU cores of the node allocatable to pods',
    attributes: ['k8s.node.name'],
  },
  {
    name: 'k8s.node.memory.allocatable',
    kind: 'updowncounter',
    unit: 'By',
    description: 'Memory of the node allocatable to pods',
    attributes: ['k8s.node.name'],
  },
  {
    name: 'k8s.pod.status.phase',
    kind: 'updowncounter',
    unit: '{pod}',
    description: 'Pod phase: 1 for the phase the pod is in, 0 for the others',
    attributes: [...POD, 'k8s.pod.status.phase'],
  },
  {
    name: 'k8s.container.restart.count',
    kind: 'updowncounter',
    unit: '{restart}',
    description: 'Restarts of the container as the kubelet counts them',
    attributes: [...POD, 'k8s.container.name'],
  },
  {
    name: 'k8s.container.status.state',
    kind: 'updowncounter',
    unit: '{container}',
    description: 'Container state: 1 for the state the container is in (running, waiting, terminated), 0 for the others',
    attributes: [...POD, 'k8s.container.name', 'k8s.container.status.state'],
  },
  {
    name: 'k8s.container.status.reason',
    kind: 'updowncounter',
    unit: '{container}',
    description: 'Why the container waits or terminated: 1 for the current reason, 0 for the other well-known ones',
    attributes: [...POD, 'k8s.container.name', 'k8s.container.status.reason'],
  },
  {
    name: 'k8s.container.ready',
    kind: 'updowncounter',
    unit: '{container}',
    description: 'Whether the container passes its readiness check (1) or not (0)',
    attributes: [...POD, 'k8s.container.name'],
  },
  { name: 'k8s.pod.cpu.usage', kind: 'gauge', unit: '{cpu}', description: 'CPU cores the pod uses (metrics-server window average)', attributes: POD },
  { name: 'k8s.pod.memory.usage', kind: 'updowncounter', unit: 'By', description: 'Memory the pod uses (metrics-server working set)', attributes: POD },
  {
    name: 'hmx.k8s.watch.malformed',
    kind: 'counter',
    unit: '{object}',
    description: 'Objects from list or watch responses skipped because a field was missing or of the wrong type',
    attributes: ['hmx.k8s.resource'],
  },
  {
    name: 'hmx.k8s.watch.relists',
    kind: 'counter',
    unit: '{list}',
    description: 'Full lists after the first (a watch expired with 410 Gone, or could not resume)',
    attributes: ['hmx.k8s.resource'],
  },
] as const satisfies readonly MetricDescriptor[];

const CONDITION_STATUSES = ['true', 'false', 'unknown'] as const;
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
const CONTAINER_STATES = ['running', 'waiting', 'terminated'] as const;
/** The semantic conventions' well-known values of k8s.container.status.reason, all reported (0 or 1) per container. */
const CONTAINER_REASONS = [
  'ContainerCreating',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'ErrImagePull',
  'ImagePullBackOff',
  'OOMKilled',
  'Completed',
  'Error',
  'ContainerCannotRun',
] as const;

/** The container's current state and, when waiting or terminated, the reason the kubelet gives. */
export function containerStatus(c: ContainerStatus): { state?: (typeof CONTAINER_STATES)[number]; reason?: string } {
  if (c.state?.waiting) return { state: 'waiting', reason: c.state.waiting.reason };
  if (c.state?.terminated) return { state: 'terminated', reason: c.state.terminated.reason };
  if (c.state?.running) return { state: 'running' };
  return {};
}

export function nodeObservations(node: KubeNode): Observation[] {
  const name = node.metadata.name;
  const out: Observation[] = [];
  for (const c of node.status?.conditions ?? []) {
    const status = c.status.toLowerCase();
    for (const s of CONDITION_STATUSES) {
      out.push({
        metric: 'k8s.node.condition.status',
        value: s === status ? 1 : 0,
        attributes: { 'k8s.node.name': name, 'k8s.node.condition.type': c.type, 'k8s.node.condition.status': s },
      });
    }
  }
  const allocatable = node.status?.allocatable ?? {};
  const cpu = allocatable.cpu === undefined ? undefined : parseQuantity(allocatable.cpu);
  const memory = allocatable.memory === undefined ? undefined : parseQuantity(allocatable.memory);
  if (cpu !== undefined) out.push({ metric: 'k8s.node.cpu.allocatable', value: cpu, attributes: { 'k8s.node.name': name } });
  if (memory !== undefined) out.push({ metric: 'k8s.node.memory.allocatable', value: memory, attributes: { 'k8s.node.name': name } });
  return out;
}

export function podAttributes(pod: KubePod): Record<string, string> {
  return {
    ...(pod.spec?.nodeName ? { 'k8s.node.name': pod.spec.nodeName } : {}), // not scheduled yet: no node
    'k8s.namespace.name': pod.metadata.namespace,
    'k8s.pod.name': pod.metadata.name,
    'k8s.pod.uid': pod.metadata.uid,
  };
}

export function podObservations(pod: KubePod): Observation[] {
  const attributes = podAttributes(pod);
  const phase = pod.status?.phase;
  const out: Observation[] = PHASES.map((p) => ({
    metric: 'k8s.pod.status.phase',
    value: p === phase ? 1 : 0,
    attributes: { ...attributes, 'k8s.pod.status.phase': p },
  }));
  for (const c of pod.status?.containerStatuses ?? []) {
    const container = { ...attributes, 'k8s.container.name': c.name };
    out.push(
      { metric: 'k8s.container.restart.count', value: c.restartCount, attributes: container },
      { metric: 'k8s.container.ready', value: c.ready ? 1 : 0, attributes: container },
    );
    const { state, reason } = containerStatus(c);
    if (state === undefined) continue; // the kubelet has not said yet: no state is claimed
    for (const s of CONTAINER_STATES)
      out.push({ metric: 'k8s.container.status.state', value: s === state ? 1 : 0, attributes: { ...container, 'k8s.container.status.state': s } });
    // A reason outside the well-known list (RunContainerError, InvalidImageName, …) is reported too, as printable text.
    const current = reason === undefined ? undefined : cleanText(reason, 64);
    const reasons = current === undefined || (CONTAINER_REASONS as readonly string[]).includes(current) ? CONTAINER_REASONS : [...CONTAINER_REASONS, current];
    for (const r of reasons)
      out.push({ metric: 'k8s.container.status.reason', value: r === current ? 1 : 0, attributes: { ...container, 'k8s.container.status.reason': r } });
  }
  return out;
}
