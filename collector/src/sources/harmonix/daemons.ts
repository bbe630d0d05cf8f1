// Per-daemon memory between probes: actor state on the topology and which side of the dissonance threshold it is.
import type { ActorRef } from '../../contract/entities.js';
import type { SourceContext } from '../../core/source.js';
import type { ProbeResult } from './probe.js';

export interface DaemonConfig {
  name: string;
  /** Full URL of the status endpoint, e.g. http://127.0.0.1:9010/status. */
  url: string;
  /** Node the daemon runs on (default: the collector's host node). */
  node?: string;
}

type Ctx = Pick<SourceContext, 'emitter' | 'nextSeq' | 'hostNodeId'>;

export const daemonActorId = (name: string) => `hmx:${name}`;

export class DaemonTracker {
  private running = false;
  private above: boolean | undefined;

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
      if (this.running) rec('actor.exited', now, { actor: this.actor(ctx), reason: result.reason.slice(0, 512) });
      this.running = false;
      return out;
    }
    if (!this.running) rec('actor.spawned', now, { actor: this.actor(ctx) });
    this.running = true;
    const d = result.status.dissonance;
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
