// Per-daemon memory between probes: actor state on the topology, which side of the dissonance threshold it is,
// why it is failing now, and its probe failures counted by error type.
import type { ActorRef } from '@harmonix/contract';
import type { SourceContext } from '../../core/source.js';
import type { ProbeError, ProbeResult } from './probe.js';
import type { DaemonKind } from './status.js';

export interface DaemonConfig {
  name: string;
  /** Full URL of the status endpoint, e.g. http://127.0.0.1:9010/status. */
  url: string;
  /** Which /status document the daemon serves (default shadow-metrics). */
  kind?: DaemonKind;
  /** Node the daemon runs on (default: the collector's host node). */
  node?: string;
}

type Ctx = Pick<SourceContext, 'emitter' | 'nextSeq' | 'hostNodeId'>;

export const daemonActorId = (name: string) => `hmx:${name}`;

export class DaemonTracker {
  private running = false;
  private above: boolean | undefined;
  /** The reason of the current run of failures (undefined while the daemon answers well). */
  private failing: string | undefined;
  /** Failed probes by error type since the collector started (a cumulative counter). */
  readonly failures = new Map<ProbeError, number>();

  constructor(
    readonly config: DaemonConfig,
    private readonly threshold: number,
  ) {}

  private actor(ctx: Ctx): ActorRef {
    return { id: daemonActorId(this.config.name), kind: 'daemon', layer: 'harmonix', name: this.config.name, node: this.config.node ?? ctx.hostNodeId };
  }

  /** Contract records for this probe's outcome (`now` is when the probe completed). */
  records(result: ProbeResult, ctx: Ctx, now: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const rec = (type: string, time: string, body: Record<string, unknown>) =>
      out.push({ v: 1, type, time, emitter: ctx.emitter, seq: ctx.nextSeq(), ...body });
    if (!result.ok) {
      this.failures.set(result.error, (this.failures.get(result.error) ?? 0) + 1);
      const attributes = { 'error.type': result.error, 'hmx.daemon.name': this.config.name };
      if (this.running) rec('actor.exited', now, { actor: this.actor(ctx), reason: result.reason, attributes });
      // The topology keeps the exit's reason; a daemon never up, or failing for another reason now, says so here.
      else if (result.reason !== this.failing) {
        const message = this.failing === undefined ? `status probe failed: ${result.reason}` : `status probe still failing, now: ${result.reason}`;
        rec('audit', now, {
          subject: daemonActorId(this.config.name),
          message,
          severity: 'error',
          attributes: { ...attributes, 'hmx.daemon.probe.reason': result.reason },
        });
      }
      this.running = false;
      this.failing = result.reason;
      return out;
    }
    this.failing = undefined;
    if (!this.running) rec('actor.spawned', now, { actor: this.actor(ctx) });
    this.running = true;
    const d = result.reading.dissonance;
    if (!d) return out;
    const above = d.value > this.threshold;
    if (above !== this.above && (above || this.above !== undefined)) {
      rec('audit', d.timestamp, {
        subject: daemonActorId(this.config.name),
        message: above
          ? `dissonance ${d.value} above threshold ${this.threshold} (source ${d.source})`
          : `dissonance ${d.value} back at or below threshold ${this.threshold} (source ${d.source})`,
        severity: above ? 'warning' : 'info',
        attributes: {
          'hmx.dissonance.value': d.value,
          'hmx.dissonance.threshold': this.threshold,
          'hmx.dissonance.source': d.source,
          'hmx.dissonance.state': above ? 'above' : 'cleared',
          'hmx.daemon.name': this.config.name,
        },
      });
    }
    this.above = above;
    return out;
  }
}
