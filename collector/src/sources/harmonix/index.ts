// Harmonix source: probes HMX daemons' /status (each by its kind's schema), tracks dissonance
// against its threshold, counts probe failures by type, places daemons as actors on their host node, and tails
// their recovery logs.
import { Type } from '@sinclair/typebox';
import type { MetricDescriptor, Observation } from '../../core/observation.js';
import type { Source, SourceContext, SourceFactory } from '../../core/source.js';
import { daemonActorId, DaemonTracker, type DaemonConfig } from './daemons.js';
import { DEFAULT_JOURNAL, JournalFollower } from './journal.js';
import { toLogRecord } from './logs.js';
import { PROBE_ERRORS, probeStatus } from './probe.js';
import { DAEMON_KINDS } from './status.js';
import { LogTailer } from './tail.js';

const DaemonName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' });
const configSchema = Type.Object(
  {
    daemons: Type.Array(
      Type.Object(
        {
          name: DaemonName,
          url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 }),
          /** Which /status document it serves (status.ts); default shadow-metrics. A pattern, not a union of
           *  literals, so the loader's error lists the kinds ("must match pattern ^(shadow-metrics|…)$"). */
          kind: Type.Optional(Type.String({ pattern: `^(${DAEMON_KINDS.join('|')})$` })),
          node: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 256 },
    ),
    /** Per-probe timeout (the scheduler's timeout bounds the whole collection). */
    probeTimeoutMs: Type.Integer({ minimum: 1, maximum: 600000 }),
    dissonanceThreshold: Type.Number(),
    logs: Type.Array(
      Type.Union([
        Type.Object(
          {
            daemon: DaemonName,
            path: Type.String({ minLength: 1, maxLength: 4096 }),
            startAt: Type.Optional(Type.Union([Type.Literal('end'), Type.Literal('beginning')])),
          },
          { additionalProperties: false },
        ),
        Type.Object({ daemon: DaemonName, journalUnit: Type.String({ pattern: '^[A-Za-z0-9@._:\\-]{1,256}$' }) }, { additionalProperties: false }),
      ]),
      { maxItems: 256 },
    ),
    /** The journalctl executable (for `journalUnit` entries). */
    journalctl: Type.String({ minLength: 1, maxLength: 4096 }),
    /** Wait before restarting journalctl after it exits. */
    journalRestartMs: Type.Integer({ minimum: 10, maximum: 600000 }),
    logPollMs: Type.Integer({ minimum: 50, maximum: 600000 }),
  },
  { additionalProperties: false },
);

export interface HarmonixConfig {
  daemons: DaemonConfig[];
  probeTimeoutMs: number;
  dissonanceThreshold: number;
  logs: ({ daemon: string; path: string; startAt?: 'end' | 'beginning' } | { daemon: string; journalUnit: string })[];
  logPollMs: number;
  journalctl: string;
  journalRestartMs: number;
}

const DAEMON = ['hmx.daemon.name', 'hmx.actor.id'] as const;
export const harmonixMetrics: readonly MetricDescriptor[] = [
  { name: 'hmx.daemon.up', kind: 'gauge', unit: '1', description: '1 when the last status probe succeeded and validated, else 0', attributes: DAEMON },
  { name: 'hmx.daemon.probe.duration', kind: 'gauge', unit: 's', description: 'Duration of the last status probe', attributes: DAEMON },
  {
    name: 'hmx.daemon.probe.failures',
    kind: 'counter',
    unit: '{failure}',
    description: `Failed status probes by error.type (${PROBE_ERRORS.join(', ')})`,
    attributes: [...DAEMON, 'error.type'],
  },
  { name: 'hmx.daemon.info', kind: 'gauge', unit: '1', description: 'Always 1; carries the daemon version', attributes: [...DAEMON, 'hmx.daemon.version'] },
  { name: 'hmx.daemon.uptime', kind: 'gauge', unit: 's', description: 'Uptime the daemon reports', attributes: DAEMON },
  {
    name: 'hmx.dissonance',
    kind: 'gauge',
    unit: '1',
    description: 'Dissonance value the daemon reports, by its source',
    attributes: [...DAEMON, 'hmx.dissonance.source'],
  },
];

class HarmonixSource implements Source {
  readonly name = 'harmonix';
  readonly layer = 'harmonix' as const;
  readonly metrics = harmonixMetrics;
  private readonly trackers: DaemonTracker[];
  private readonly tailers: { tailer: LogTailer; daemon: string; nodeId?: string }[];
  private readonly journals: { follower: JournalFollower; daemon: string; nodeId?: string }[];
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly config: HarmonixConfig) {
    this.trackers = config.daemons.map((d) => new DaemonTracker(d, config.dissonanceThreshold));
    const nodeOf = (daemon: string) => config.daemons.find((d) => d.name === daemon)?.node;
    this.tailers = config.logs.flatMap((l) =>
      'path' in l ? [{ tailer: new LogTailer(l.path, (l.startAt ?? 'end') === 'end'), daemon: l.daemon, nodeId: nodeOf(l.daemon) }] : [],
    );
    this.journals = config.logs.flatMap((l) =>
      'journalUnit' in l
        ? [
            {
              follower: new JournalFollower(l.journalUnit, { command: config.journalctl, restartMs: config.journalRestartMs }),
              daemon: l.daemon,
              nodeId: nodeOf(l.daemon),
            },
          ]
        : [],
    );
  }

  async start(ctx: SourceContext): Promise<void> {
    for (const { follower, daemon, nodeId } of this.journals) {
      const origin = { daemon, nodeId: nodeId ?? ctx.hostNodeId, path: `journal:${follower.unit}` };
      follower.start(
        (line) => ctx.emit({ logs: [toLogRecord(line, origin, new Date().toISOString())] }),
        (problem) => ctx.logger.warn({ unit: follower.unit, problem }, 'harmonix: journal follower restarting'),
      );
    }
    if (this.tailers.length === 0) return;
    await this.pollLogs(ctx); // positions the tailers before anything is written
    const tick = () => {
      this.polling = this.pollLogs(ctx).finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.config.logPollMs);
      });
    };
    this.timer = setTimeout(tick, this.config.logPollMs);
  }

  /** One pass over every tailed file (also callable directly). */
  async pollLogs(ctx: SourceContext): Promise<void> {
    for (const { tailer, daemon, nodeId } of this.tailers) {
      try {
        const lines = await tailer.poll();
        if (lines.length === 0) continue;
        const readAt = new Date().toISOString();
        const origin = { daemon, nodeId: nodeId ?? ctx.hostNodeId, path: tailer.path };
        ctx.emit({ logs: lines.map((l) => toLogRecord(l.text, origin, readAt)) });
      } catch (err) {
        ctx.logger.warn({ path: tailer.path, err: (err as Error).message }, 'harmonix: log tail failed');
      }
    }
  }

  async collect(ctx: SourceContext, signal: AbortSignal): Promise<{ observations: Observation[] }> {
    const results = await Promise.all(this.config.daemons.map((d) => probeStatus(d.url, d.kind ?? 'shadow-metrics', this.config.probeTimeoutMs, signal)));
    signal.throwIfAborted();
    const now = new Date().toISOString();
    const records: Record<string, unknown>[] = [];
    const out: Observation[] = [];
    results.forEach((r, i) => {
      const tracker = this.trackers[i]!;
      const name = tracker.config.name;
      const attrs = { 'hmx.daemon.name': name, 'hmx.actor.id': daemonActorId(name) };
      records.push(...tracker.records(r, ctx, now));
      out.push({ metric: 'hmx.daemon.up', value: r.ok ? 1 : 0, attributes: attrs });
      out.push({ metric: 'hmx.daemon.probe.duration', value: r.seconds, attributes: attrs });
      for (const [type, n] of tracker.failures) out.push({ metric: 'hmx.daemon.probe.failures', value: n, attributes: { ...attrs, 'error.type': type } });
      if (!r.ok) {
        ctx.logger.warn({ daemon: name, error: r.error, reason: r.reason }, 'harmonix: probe failed');
        return; // a down daemon's last values are not reported as current
      }
      const { version, uptimeSeconds, dissonance } = r.reading;
      if (version !== undefined) out.push({ metric: 'hmx.daemon.info', value: 1, attributes: { ...attrs, 'hmx.daemon.version': version } });
      if (uptimeSeconds !== undefined) out.push({ metric: 'hmx.daemon.uptime', value: uptimeSeconds, attributes: attrs });
      if (dissonance) out.push({ metric: 'hmx.dissonance', value: dissonance.value, attributes: { ...attrs, 'hmx.dissonance.source': dissonance.source } });
    });
    if (records.length > 0) ctx.emit({ records });
    return { observations: out };
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    for (const { tailer } of this.tailers) await tailer.close();
    for (const { follower } of this.journals) follower.stop();
  }
}

export const harmonixSource: SourceFactory<HarmonixConfig> = {
  name: 'harmonix',
  layer: 'harmonix',
  configSchema,
  defaults: {
    daemons: [],
    probeTimeoutMs: 3000,
    dissonanceThreshold: 0.3,
    logs: [],
    logPollMs: 1000,
    journalctl: DEFAULT_JOURNAL.command,
    journalRestartMs: DEFAULT_JOURNAL.restartMs,
  },
  create: (config) => new HarmonixSource(config),
};
