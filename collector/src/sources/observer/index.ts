// Observer source: an append-only events directory → world files, topology, incidents, deployments.
import { Type, type Static } from '@sinclair/typebox';
import type { MetricDescriptor, Observation } from '../../core/observation.js';
import type { Source, SourceContext, SourceFactory } from '../../core/source.js';
import { incidentAudits, TopologyMirror } from './contract.js';
import { SEVERITIES } from './event.js';
import { DEFAULT_OPTIONS, ObserverRuntime } from './runtime.js';
import { deploymentRun } from './workflow.js';
import { servicesByStatus } from './project.js';
import { DEFAULT_LIMITS } from './world.js';

const Path = Type.String({ minLength: 1, maxLength: 4096 });
const configSchema = Type.Object(
  {
    eventsDir: Path,
    stateDir: Path,
    worldDir: Path,
    /** Diagnostics referenced by events are resolved against this directory (never outside it). */
    logsDir: Path,
    /** Repository holding inventory/topology.yaml and hosts/<node>/services.yaml; empty = no inventory. */
    repoDir: Type.String({ maxLength: 4096 }),
    maxResolvedIncidents: Type.Integer({ minimum: 1, maximum: 1000000 }),
    maxFinishedDeployments: Type.Integer({ minimum: 1, maximum: 1000000 }),
    /** Runs that never end are evicted beyond this many running ones (counted in hmx.observer.deployments.evicted). */
    maxRunningDeployments: Type.Integer({ minimum: 1, maximum: 1000000 }),
  },
  { additionalProperties: false },
);

export type ObserverConfig = Static<typeof configSchema>;

export const observerMetrics: readonly MetricDescriptor[] = [
  { name: 'hmx.incidents.active', kind: 'gauge', unit: '{incident}', description: 'Active observer incidents by severity', attributes: ['severity'] },
  {
    name: 'hmx.observer.events',
    kind: 'counter',
    unit: '{event}',
    description: 'Event lines consumed, by outcome (applied, ignored, malformed)',
    attributes: ['outcome'],
  },
  { name: 'hmx.observer.services', kind: 'gauge', unit: '{service}', description: 'Observer services by health status', attributes: ['status'] },
  { name: 'hmx.observer.deployments.running', kind: 'gauge', unit: '{deployment}', description: 'Deployment runs in progress', attributes: [] },
  {
    name: 'hmx.observer.late.files',
    kind: 'counter',
    unit: '{file}',
    description: 'Event files that arrived sorting before the read position and were not read',
    attributes: [],
  },
  {
    name: 'hmx.observer.deployments.evicted',
    kind: 'counter',
    unit: '{deployment}',
    description: 'Runs that never ended, dropped to keep at most maxRunningDeployments',
    attributes: [],
  },
];

class ObserverSource implements Source {
  readonly name = 'observer';
  readonly layer = 'observer' as const;
  readonly metrics = observerMetrics;
  private readonly runtime: ObserverRuntime;
  private readonly mirror = new TopologyMirror();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(config: ObserverConfig) {
    this.runtime = new ObserverRuntime(
      { eventsDir: config.eventsDir, stateDir: config.stateDir, worldDir: config.worldDir, logsDir: config.logsDir, repoDir: config.repoDir || undefined },
      {
        ...DEFAULT_OPTIONS,
        recordChanges: true,
        limits: {
          ...DEFAULT_LIMITS,
          maxResolvedIncidents: config.maxResolvedIncidents,
          maxFinishedDeployments: config.maxFinishedDeployments,
          maxRunningDeployments: config.maxRunningDeployments,
        },
      },
    );
  }

  async start(ctx: SourceContext): Promise<void> {
    Object.assign(this.runtime.options, { logger: ctx.logger });
    await this.runtime.open();
    this.publish(ctx, () => []);
  }

  /**
   * Collections run one at a time: the scheduler may start a retry while a timed-out attempt is still
   * finishing its chunk, and two readers must never advance the same position.
   */
  collect(ctx: SourceContext, signal: AbortSignal): Promise<{ observations: Observation[] }> {
    const run = this.queue.then(() => this.collectNow(ctx, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async collectNow(ctx: SourceContext, signal: AbortSignal): Promise<{ observations: Observation[] }> {
    await this.runtime.reloadInventory();
    await this.runtime.catchUp(signal);
    this.runtime.refresh(); // stage markers and log files change without events
    const changes = this.runtime.world.drain();
    const runs = [...changes.deployments]
      .map((cid) => this.runtime.world.deployments.get(cid))
      .map((d) => d && deploymentRun(d))
      .filter((r) => r !== undefined);
    this.publish(ctx, () => incidentAudits(this.runtime.world, changes, ctx));
    // Pushed, like the records: drained changes are handed over even if this collection then times out.
    if (runs.length > 0) ctx.emit({ traces: runs });
    return { observations: this.observations() };
  }

  /** Topology transitions first (an audit may name a service that just appeared), then the audits (seq in that order). */
  private publish(ctx: SourceContext, audits: () => Record<string, unknown>[]): void {
    const { world } = this.runtime;
    const fallback = world.counters.last_event ?? new Date().toISOString();
    const records = this.mirror.sync(world, ctx, fallback);
    records.push(...audits());
    if (records.length > 0) ctx.emit({ records });
  }

  private observations(): Observation[] {
    const { world } = this.runtime;
    const active = world.activeBySeverity();
    const out: Observation[] = SEVERITIES.map((severity) => ({ metric: 'hmx.incidents.active', value: active[severity], attributes: { severity } }));
    const { applied, ignored, malformed } = world.counters;
    for (const [outcome, value] of Object.entries({ applied, ignored, malformed })) {
      out.push({ metric: 'hmx.observer.events', value, attributes: { outcome } });
    }
    // The same count as runtime-summary.json: declared services that never reported are `unknown`.
    for (const [status, value] of Object.entries(servicesByStatus(world, this.runtime.inventory)))
      out.push({ metric: 'hmx.observer.services', value, attributes: { status } });
    out.push({ metric: 'hmx.observer.deployments.running', value: world.running.size });
    out.push({ metric: 'hmx.observer.deployments.evicted', value: world.counters.deployments_evicted });
    out.push({ metric: 'hmx.observer.late.files', value: this.runtime.lateFiles });
    return out;
  }
}

export const observerSource: SourceFactory<ObserverConfig> = {
  name: 'observer',
  layer: 'observer',
  configSchema,
  defaults: {
    eventsDir: '/opt/homelab/events',
    stateDir: '/opt/homelab/state',
    worldDir: '/opt/homelab/world',
    logsDir: '/opt/homelab/logs',
    repoDir: '',
    maxResolvedIncidents: DEFAULT_LIMITS.maxResolvedIncidents,
    maxFinishedDeployments: DEFAULT_LIMITS.maxFinishedDeployments,
    maxRunningDeployments: DEFAULT_LIMITS.maxRunningDeployments,
  },
  create: (config) => new ObserverSource(config),
};
