// Wiring for the Kubernetes source tests: a fake API server, a kubeconfig pointing at it, the source under test
// with a recording context, and a barrier that waits until the source has seen everything the server has sent.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractRecord } from '@harmonix/contract';
import type { Observation } from '../../../src/core/observation.js';
import { kubernetesSource, type KubernetesConfig, type KubernetesSource } from '../../../src/sources/kubernetes/index.js';
import { createTestContext, type TestContext } from '../../support/context.js';
import { FakeApiServer } from './fake-apiserver.js';

export interface Harness {
  api: FakeApiServer;
  source: KubernetesSource;
  ctx: TestContext;
  kubeconfig: string;
  /** Wait until both informers watch at the server's current resourceVersion (all its changes are handled). */
  settle(): Promise<void>;
  collect(): Promise<Observation[]>;
  close(): Promise<void>;
}

export function kubeconfigFor(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: fake',
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: tester',
    '  user:',
    '    token: test-token',
    'contexts:',
    '- name: fake',
    '  context: {cluster: fake, user: tester}',
    'current-context: fake',
    '',
  ].join('\n');
}

/** Poll `check` until it returns true; fails with `what` after `timeoutMs` (a deadlock guard, not a timing assertion). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function startHarness(
  setup: (api: FakeApiServer) => void = () => {},
  config: Partial<KubernetesConfig> = {},
  options: { apiDown?: boolean } = {},
): Promise<Harness> {
  const api = await new FakeApiServer().start();
  setup(api);
  const dir = await mkdtemp(join(tmpdir(), 'hmx-k8s-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigFor(api.url));
  if (options.apiDown) await api.stop();
  const source = kubernetesSource.create({
    ...kubernetesSource.defaults,
    kubeconfig,
    reconnectInitialMs: 20,
    reconnectMaxMs: 200,
    ...config,
  }) as KubernetesSource;
  const ctx = createTestContext({ emitter: 'k8s@test', hostNodeId: 'host:test' });
  await source.start(ctx);
  const at = (rv: string) => (rv === '' ? -1 : Number(rv));
  return {
    api,
    source,
    ctx,
    kubeconfig,
    async settle() {
      const target = api.rv;
      api.bookmark();
      await eventually(
        () => {
          const s = source.watchState();
          const watching = api.watching('nodes') > 0 && api.watching('pods') > 0;
          return watching && at(s.nodes.resourceVersion) >= target && at(s.pods.resourceVersion) >= target;
        },
        `informers to watch at resourceVersion ${target}: ${JSON.stringify(source.watchState())}`,
      );
    },
    async collect() {
      const frame = await source.collect(ctx, AbortSignal.timeout(10000));
      return frame.observations ?? [];
    },
    async close() {
      await source.stop();
      await api.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The parts of a lifecycle record a test states exactly. */
export interface EventShape {
  type: string;
  id: string;
  time: string;
  on?: string;
  reason?: string;
  restartCount?: number;
  exitCode?: number;
}

export function shape(record: ContractRecord): EventShape {
  const r = record as ContractRecord & {
    node?: { id: string };
    actor?: { id: string; node: string };
    reason?: string;
    restartCount?: number;
    exitCode?: number;
  };
  return {
    type: r.type,
    id: r.actor?.id ?? r.node?.id ?? '',
    time: r.time,
    ...(r.actor ? { on: r.actor.node } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.restartCount !== undefined ? { restartCount: r.restartCount } : {}),
    ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
  };
}

/**
 * Order-insensitive across entities, order-sensitive per entity: node and pod informers run on separate
 * connections, so only the events of one entity have a defined order.
 */
export function byEntity<T extends { id: string }>(events: T[]): T[] {
  return [...events].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The single observation of `metric` whose attributes include `attributes`. */
export function sample(observations: Observation[], metric: string, attributes: Record<string, string>): Observation {
  const found = observations.filter((o) => o.metric === metric && Object.entries(attributes).every(([k, v]) => o.attributes?.[k] === v));
  if (found.length !== 1) throw new Error(`expected one ${metric} ${JSON.stringify(attributes)}, found ${found.length}`);
  return found[0]!;
}
