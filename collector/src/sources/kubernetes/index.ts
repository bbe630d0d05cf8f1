// Kubernetes (k3s) source: nodes and pods from list+watch informers onto the topology through the contract, and
// their state as k8s.* metrics (plus metrics-server usage when the cluster has it). client-node is loaded only when
// the source starts, so a collector without this source enabled does not pay for importing it.
import { Type, type Static } from '@sinclair/typebox';
import type { KubeConfig } from '@kubernetes/client-node';
import { CONTRACT_VERSION } from '@harmonix/contract';
import type { Observation } from '../../core/observation.js';
import type { Frame, Source, SourceContext, SourceFactory } from '../../core/source.js';
import { KubeApiError } from './http.js';
import type { ResourceInformer } from './informer.js';
import { LifecycleTracker, type Transition } from './lifecycle.js';
import { kubernetesMetrics, nodeObservations, podObservations } from './metrics.js';
import { podKey, type KubeNode, type KubePod, type Resource } from './objects.js';
import { podUsage } from './usage.js';

const configSchema = Type.Object(
  {
    /** Kubeconfig file; empty: KUBECONFIG, then ~/.kube/config, then the in-cluster service account. */
    kubeconfig: Type.String(),
    /** Kubeconfig context; empty: the file's current-context. */
    context: Type.String(),
    /** Only pods of this namespace; empty: all namespaces. */
    namespace: Type.String(),
    /** Label selector for pods (e.g. "app=harmonix,tier!=test"); empty: all pods. */
    labelSelector: Type.String(),
    /** Label selector for nodes; empty: all nodes. */
    nodeLabelSelector: Type.String(),
    /** Read pod usage from metrics.k8s.io when the cluster serves it. */
    metricsServer: Type.Boolean(),
    /** First delay before a broken watch reconnects; doubles per failure up to reconnectMaxMs. */
    reconnectInitialMs: Type.Integer({ minimum: 10, maximum: 600000 }),
    reconnectMaxMs: Type.Integer({ minimum: 10, maximum: 600000 }),
  },
  { additionalProperties: false },
);

export type KubernetesConfig = Static<typeof configSchema>;

const defaults: KubernetesConfig = {
  kubeconfig: '',
  context: '',
  namespace: '',
  labelSelector: '',
  nodeLabelSelector: '',
  metricsServer: true,
  reconnectInitialMs: 1000,
  reconnectMaxMs: 30000,
};

export class KubernetesSource implements Source {
  readonly name = 'kubernetes';
  readonly layer = 'kubernetes' as const;
  readonly metrics = kubernetesMetrics;
  private kc?: KubeConfig;
  private configError?: Error;
  private nodes?: ResourceInformer<KubeNode>;
  private pods?: ResourceInformer<KubePod>;
  private readonly tracker = new LifecycleTracker();

  constructor(private readonly config: KubernetesConfig) {}

  async start(ctx: SourceContext): Promise<void> {
    const [{ loadKubeConfig }, { ResourceInformer }] = await Promise.all([import('./kubeconfig.js'), import('./informer.js')]);
    try {
      this.kc = loadKubeConfig(this.config);
    } catch (err) {
      // Reported by every collect(), so /status shows the reason; the collector keeps running.
      this.configError = err as Error;
      ctx.logger.error({ err: this.configError.message }, 'kubernetes: source not started');
      return;
    }
    const common = {
      kc: this.kc,
      reconnectInitialMs: this.config.reconnectInitialMs,
      reconnectMaxMs: Math.max(this.config.reconnectInitialMs, this.config.reconnectMaxMs),
      logger: ctx.logger,
    };
    const emit = (transitions: Transition[]) => {
      if (transitions.length === 0) return;
      ctx.emit({ records: transitions.map((t) => ({ v: CONTRACT_VERSION, emitter: ctx.emitter, seq: ctx.nextSeq(), ...t })) });
    };
    this.nodes = new ResourceInformer<KubeNode>({
      ...common,
      resource: 'nodes',
      path: '/api/v1/nodes',
      labelSelector: this.config.nodeLabelSelector,
      upsert: (node) => emit(this.tracker.upsertNode(node)),
      remove: (node) => emit(this.tracker.deleteNode(node)),
    });
    this.pods = new ResourceInformer<KubePod>({
      ...common,
      resource: 'pods',
      path: this.config.namespace ? `/api/v1/namespaces/${encodeURIComponent(this.config.namespace)}/pods` : '/api/v1/pods',
      labelSelector: this.config.labelSelector,
      upsert: (pod) => emit(this.tracker.upsertPod(pod)),
      remove: (pod) => emit(this.tracker.deletePod(pod)),
    });
    this.nodes.start();
    this.pods.start();
  }

  async collect(_ctx: SourceContext, signal: AbortSignal): Promise<Frame> {
    if (this.configError) throw this.configError;
    const { nodes, pods, kc } = this;
    if (!nodes || !pods || !kc) throw new Error('kubernetes: source not started');
    const unreachable = (err: unknown) =>
      err instanceof KubeApiError
        ? new KubeApiError(`kubernetes API ${err.statusCode ? 'error' : 'unreachable'}: ${err.message}`, err.statusCode, 'connect', err.code)
        : err;
    await Promise.all([nodes.whenSynced(signal), pods.whenSynced(signal)]).catch((err: unknown) => {
      throw unreachable(err);
    });
    for (const { lastError } of [nodes, pods]) if (lastError) throw unreachable(lastError);
    const podList = pods.objects();
    const observations: Observation[] = [...nodes.objects().flatMap(nodeObservations), ...podList.flatMap(podObservations)];
    for (const [resource, informer] of [
      ['nodes', nodes],
      ['pods', pods],
    ] as [Resource, ResourceInformer<unknown>][]) {
      const attributes = { 'hmx.k8s.resource': resource };
      observations.push(
        { metric: 'hmx.k8s.watch.malformed', value: informer.malformed, attributes },
        { metric: 'hmx.k8s.watch.relists', value: informer.relists, attributes },
      );
    }
    if (this.config.metricsServer) {
      observations.push(...(await podUsage(kc, this.config, new Map(podList.map((p) => [podKey(p), p])), signal)));
    }
    return { observations };
  }

  async stop(): Promise<void> {
    await Promise.all([this.nodes?.stop(), this.pods?.stop()]);
  }

  /** Informer positions and counters (tests and diagnostics). */
  watchState(): Record<Resource, { resourceVersion: string; malformed: number; relists: number; error?: string }> {
    const state = (i?: ResourceInformer<unknown>) => ({
      resourceVersion: i?.resourceVersion() ?? '',
      malformed: i?.malformed ?? 0,
      relists: i?.relists ?? 0,
      ...(i?.lastError ? { error: i.lastError.message } : {}),
    });
    return { nodes: state(this.nodes), pods: state(this.pods) };
  }
}

export const kubernetesSource: SourceFactory<KubernetesConfig> = {
  name: 'kubernetes',
  layer: 'kubernetes',
  configSchema,
  defaults,
  create: (config) => new KubernetesSource(config),
};
