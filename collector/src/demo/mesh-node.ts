// One demo node (runs in its own OS process): a TCP endpoint for its actors' mailboxes, links to the other
// nodes, a traffic generator, and instrumentation only through the SDK.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Context } from '@opentelemetry/api';
import { createSdk, type HarmonixSdk } from '@harmonix/sdk';
import { ActorSystem, type Actor, type Payload } from './actors.js';
import { EdgeCounters } from './edge-counters.js';
import { actorsOf, meshNode } from './ids.js';
import { Links } from './links.js';
import type { NodeConfig, NodeOp, NodeStats, NodeToSupervisor, SupervisorToNode } from './protocol.js';
import { Rng } from '../core/random.js';
import { isMessageFrame, readFrames, writeFrame } from './wire.js';

const MAX_HOPS = 2;

export class MeshNode {
  readonly sdk: HarmonixSdk;
  private readonly node;
  private readonly rng: Rng;
  private readonly counters = new EdgeCounters();
  private readonly system: ActorSystem;
  private readonly links: Links;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private traffic: NodeJS.Timeout | undefined;
  private statsPush: NodeJS.Timeout | undefined;
  private paused = false;
  private started = false;
  private jobs = 0;

  constructor(
    private readonly cfg: NodeConfig,
    private readonly send: (message: NodeToSupervisor) => void,
  ) {
    this.node = meshNode(cfg.name);
    this.rng = new Rng(cfg.seed);
    this.sdk = createSdk({
      name: `mesh-${cfg.name}`,
      collectorUrl: cfg.collectorUrl,
      token: cfg.token,
      flushIntervalMs: cfg.flushIntervalMs,
      otlpEndpoint: cfg.otlpEndpoint,
      // Bounds how long a stop waits for an unreachable collector.
      closeTimeoutMs: 2000,
    });
    this.system = new ActorSystem(this.sdk, (actor, payload, ctx) => this.behave(actor, payload, ctx), cfg.mailboxCapacity);
    this.links = new Links((message, outcome) => {
      if (!outcome.delivered) this.counters.bump(message.from, message.to, 'dropped');
    });
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listen, announce the node (first incarnation only: later ones are announced recovered by the supervisor). */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    if (this.cfg.incarnation === 0) this.sdk.nodeJoined(this.node, { attributes: { 'process.pid': process.pid } });
    this.statsPush = setInterval(() => this.send({ type: 'stats', stats: this.stats() }), 500);
    this.statsPush.unref();
    this.send({ type: 'ready', port });
  }

  async handle(message: SupervisorToNode): Promise<void> {
    switch (message.type) {
      case 'peers':
        return this.links.setPeers(message.peers);
      case 'start':
        return this.startActors();
      case 'crash':
        this.system.crash(message.actor);
        return;
      case 'request':
        this.send({ type: 'response', id: message.id, result: await this.request(message.op) });
    }
  }

  stats(): NodeStats {
    return { edges: this.counters.snapshot(), pending: this.links.inFlight, queued: this.system.queued(), down: this.system.down() };
  }

  private async request(op: NodeOp): Promise<unknown> {
    switch (op) {
      case 'stats':
        return this.stats();
      case 'pause':
        this.paused = true;
        clearInterval(this.traffic);
        return true;
      case 'resume':
        this.paused = false;
        this.startTraffic();
        return true;
      case 'drain':
        return this.drain();
      case 'flush':
        return this.sdk.flush(5000);
      case 'stop':
        return this.stop();
    }
  }

  private startActors(): void {
    if (this.started) return;
    this.started = true;
    this.system.spawn(actorsOf(this.cfg.name, this.cfg.actorsPerNode));
    // Deliver the spawns now, so peers' flow samples naming these actors rarely arrive first.
    void this.sdk.flush(2000);
    this.send({ type: 'started' });
    this.startTraffic();
  }

  private startTraffic(): void {
    clearInterval(this.traffic);
    if (this.paused || !this.started || this.cfg.messageRateHz <= 0) return;
    this.traffic = setInterval(() => this.originate(), Math.max(1, 1000 / this.cfg.messageRateHz));
  }

  /** A new job from a random local actor to a random actor on another node. */
  private originate(): void {
    const from = this.rng.pick(this.system.running());
    const peer = this.rng.pick(this.cfg.nodes.filter((n) => n !== this.cfg.name));
    const to = peer === undefined ? undefined : this.rng.pick(actorsOf(peer, this.cfg.actorsPerNode));
    if (!from || !to) return;
    const size = 16 + this.rng.int(240);
    this.transmit(from.ref.id, to.id, { job: ++this.jobs, hops: 0, data: 'x'.repeat(size) });
  }

  /** Routers pass work on to a worker on another node, in the same trace; workers just do it. */
  private behave(actor: Actor, payload: Payload, ctx: Context): void {
    if (actor.ref.kind !== 'router' || this.paused || payload.hops >= MAX_HOPS) return;
    const peer = this.rng.pick(this.cfg.nodes.filter((n) => n !== this.cfg.name));
    const to = peer === undefined ? undefined : this.rng.pick(actorsOf(peer, this.cfg.actorsPerNode).slice(1));
    if (to) this.transmit(actor.ref.id, to.id, { ...payload, hops: payload.hops + 1 }, ctx);
  }

  private transmit(from: string, to: string, payload: Payload, parent?: Context): void {
    const peer = to.slice('mesh:'.length, to.indexOf('/'));
    try {
      this.sdk.send(from, to, payload, (envelope) => this.links.send(peer, envelope), { parent });
      this.counters.bump(from, to, 'sent');
    } catch {
      this.counters.bump(from, to, 'undeliverable');
    }
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    readFrames(socket, (frame) => {
      if (!isMessageFrame(frame)) return;
      const refused = this.system.deliver(frame.e as Parameters<ActorSystem['deliver']>[0]);
      if (refused === undefined) this.counters.bump(frame.e.from, frame.e.to, 'received');
      writeFrame(socket, refused === undefined ? { t: 'a', id: frame.id, ok: true } : { t: 'a', id: frame.id, ok: false, r: refused });
    });
  }

  /** Wait until nothing is in flight from here and every mailbox is empty (bounded). */
  private async drain(): Promise<NodeStats> {
    const deadline = Date.now() + 30_000;
    while ((this.links.inFlight > 0 || this.system.queued() > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.stats();
  }

  private async stop(): Promise<boolean> {
    this.paused = true;
    clearInterval(this.traffic);
    clearInterval(this.statsPush);
    this.system.stop();
    // Flow samples first: after node.left its actors are gone, and a late sample would name unknown actors.
    await this.sdk.flush(2000);
    this.sdk.nodeLeft(this.node, { reason: 'demo stopped' });
    this.links.closeAll();
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await this.sdk.close();
    return true;
  }
}
