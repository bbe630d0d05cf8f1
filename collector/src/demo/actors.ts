// Actors with mailboxes inside one node process, and the node's own supervisor: an actor that throws is
// reported exited (actor.exited), restarted after a backoff (actor.restarted with its restart count), and
// keeps its mailbox. While it is down, new messages are refused (the sender counts them dropped).
import type { Context } from '@opentelemetry/api';
import type { ActorRef } from '@harmonix/contract';
import type { HarmonixSdk, MessageEnvelope } from '@harmonix/sdk';

export interface Payload {
  job: number;
  hops: number;
  data: string;
}

export type Behavior = (actor: Actor, payload: Payload, ctx: Context) => void;

export class Actor {
  state: 'running' | 'down' = 'running';
  restarts = 0;
  readonly mailbox: MessageEnvelope<Payload>[] = [];
  scheduled = false;

  constructor(readonly ref: ActorRef) {}
}

export class ChaosCrash extends Error {
  constructor() {
    super('chaos: injected crash');
  }
}

const BATCH = 50;

export class ActorSystem {
  readonly actors = new Map<string, Actor>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly sdk: HarmonixSdk,
    private readonly behavior: Behavior,
    private readonly mailboxCapacity: number,
    private readonly restartBaseMs = 100,
  ) {}

  spawn(refs: readonly ActorRef[]): void {
    for (const ref of refs) {
      this.actors.set(ref.id, new Actor(ref));
      this.sdk.actorSpawned(ref);
    }
  }

  down(): string[] {
    return [...this.actors.values()].filter((a) => a.state === 'down').map((a) => a.ref.id);
  }

  running(): Actor[] {
    return [...this.actors.values()].filter((a) => a.state === 'running');
  }

  /** Accept a message into the destination's mailbox; returns undefined, or why it was refused. */
  deliver(envelope: MessageEnvelope<Payload>): string | undefined {
    const actor = this.actors.get(envelope.to);
    if (!actor) return 'no such actor';
    if (actor.state !== 'running') return 'actor down';
    if (actor.mailbox.length >= this.mailboxCapacity) return 'mailbox full';
    actor.mailbox.push(envelope);
    this.schedule(actor);
    return undefined;
  }

  /** Make the named actor throw (chaos). */
  crash(name: string): boolean {
    const actor = [...this.actors.values()].find((a) => a.ref.name === name);
    if (!actor || actor.state !== 'running') return false;
    this.run(actor, () => {
      throw new ChaosCrash();
    });
    return true;
  }

  queued(): number {
    let total = 0;
    for (const actor of this.actors.values()) total += actor.mailbox.length;
    return total;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(actor: Actor): void {
    if (actor.scheduled || actor.state !== 'running' || this.stopped) return;
    actor.scheduled = true;
    setImmediate(() => {
      actor.scheduled = false;
      for (let i = 0; i < BATCH && actor.state === 'running' && actor.mailbox.length > 0; i++) {
        const envelope = actor.mailbox.shift()!;
        this.run(actor, () => this.sdk.receive(envelope, (payload, ctx) => this.behavior(actor, payload, ctx)));
      }
      if (actor.mailbox.length > 0) this.schedule(actor);
    });
  }

  private run(actor: Actor, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.fail(actor, error);
    }
  }

  private fail(actor: Actor, error: unknown): void {
    actor.state = 'down';
    const message = error instanceof Error ? error.message : String(error);
    this.sdk.actorExited(actor.ref, { reason: `crashed: ${message}`.slice(0, 512), exitCode: 1 });
    const delay = Math.min(2000, this.restartBaseMs * 2 ** Math.min(actor.restarts, 4));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      actor.restarts += 1;
      actor.state = 'running';
      this.sdk.actorRestarted(actor.ref, actor.restarts, { reason: 'restarted by the node supervisor' });
      this.schedule(actor);
    }, delay);
    this.timers.add(timer);
  }
}
