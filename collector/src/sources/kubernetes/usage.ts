// Pod CPU and memory usage from metrics-server (metrics.k8s.io). Silently nothing when the API is not installed,
// not allowed or not answering: usage is an extra, never a reason to mark the source unhealthy.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Observation } from '../../core/observation.js';
import { getJson } from './http.js';
import { podAttributes } from './metrics.js';
import type { KubePod } from './objects.js';
import { parseQuantity } from './quantity.js';

interface PodMetrics {
  metadata?: { name?: unknown; namespace?: unknown };
  containers?: { usage?: { cpu?: unknown; memory?: unknown } }[];
}

const sum = (values: unknown[]) =>
  values.reduce<number | undefined>((total, v) => {
    const q = typeof v === 'string' ? parseQuantity(v) : undefined;
    return total === undefined || q === undefined ? undefined : total + q;
  }, 0);

export async function podUsage(
  kc: KubeConfig,
  filter: { namespace: string; labelSelector: string },
  pods: Map<string, KubePod>,
  signal: AbortSignal,
): Promise<Observation[]> {
  const path = filter.namespace ? `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(filter.namespace)}/pods` : '/apis/metrics.k8s.io/v1beta1/pods';
  let body: unknown;
  try {
    body = await getJson(kc, path, { labelSelector: filter.labelSelector }, signal);
  } catch {
    return [];
  }
  const items = (body as { items?: unknown }).items;
  if (!Array.isArray(items)) return [];
  const out: Observation[] = [];
  for (const item of items as PodMetrics[]) {
    const pod = pods.get(`${String(item?.metadata?.namespace)}/${String(item?.metadata?.name)}`);
    if (!pod || !Array.isArray(item.containers)) continue;
    const attributes = podAttributes(pod);
    const cpu = sum(item.containers.map((c) => c?.usage?.cpu));
    const memory = sum(item.containers.map((c) => c?.usage?.memory));
    if (cpu !== undefined) out.push({ metric: 'k8s.pod.cpu.usage', value: cpu, attributes });
    if (memory !== undefined) out.push({ metric: 'k8s.pod.memory.usage', value: memory, attributes });
  }
  return out;
}
