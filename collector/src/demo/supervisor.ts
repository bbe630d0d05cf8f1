// The demo supervisor (runs in the calling process): forks one OS process per mesh node, tells them each
// other's ports, restarts a node process the moment it dies (node.failed, then node.recovered, through the
// SDK: the dead process cannot speak for itself), runs the chaos loop and answers stats for truth checks.
import { fork, type ChildProcess } from 'node:child_process';
import { createSdk, type HarmonixSdk } from '@harmonix/sdk';
import { startChaos } from './chaos.js';
import { actorsOf, meshNode, nodeName } from './ids.js';
import { mergeEdges, type EdgeStats, type NodeConfig, type NodeOp, type NodeStats, type NodeToSupervisor, type SupervisorToNode } from './protocol.js';
import { Rng } from '../core/random.js';
import { validateDemoOptions, type DemoOptions, type ResolvedDemoOptions } from './options.js';

export interface DemoNodeInfo {
  name: string;
  id: string;
  /** OS process id of the current incarnation (undefined while it is being restarted). */
  pid: number | undefined;
  port: number | null;
  state: 'starting' | 'up' | 'restarting' | 'stopping' | 'stopped';
  /** 0 for the first process, +1 per restart. */
  incarnation: number;
}

export interface DemoHandle {
  /** Emitter id of the supervisor's own SDK (node.failed / node.recovered / chaos audits). */
  readonly emitter: string;
  nodes(): DemoNodeInfo[];
  /** Per-edge message counts, summed over every process incarnation (see EdgeStats). */
  stats(): Promise<EdgeStats[]>;
  /** Stop originating and forwarding messages, then wait until nothing is in flight or queued. */
  pauseTraffic(): Promise<void>;
  resumeTraffic(): Promise<void>;
  /** Every node process and the supervisor deliver what their SDK has buffered (flow samples included). */
  flush(): Promise<boolean>;
  /** Make one actor throw (as chaos does). */
  crashActor(node: string, actor: string): void;
  /** Resolves once every node is up with its actors spawned (e.g. after a restart). */
  whenAllUp(timeoutMs?: number): Promise<void>;
  /** Graceful: nodes leave (node.left), processes exit, the supervisor's SDK is closed. */
  stop(): Promise<void>;
}

interface Slot {
  name: string;
  child?: ChildProcess;
  pid?: number;
  port: number | null;
  state: DemoNodeInfo['state'];
  incarnation: number;
  upSince: number;
  startedAt: number;
  quickDeaths: number;
  lastStats?: NodeStats;
  /** Stats of finished incarnations (their last report). */
  archived: EdgeStats[];
  restartTimer?: NodeJS.Timeout;
}

type Pending = { slot: Slot; resolve: (value: unknown) => void; timer: NodeJS.Timeout };

const isTs = import.meta.url.endsWith('.ts');
const ENTRY = new URL(isTs ? './node-process.ts' : './node-process.js', import.meta.url);

/** Under tsx (TypeScript sources) the node processes need the tsx loader too; compiled JS needs nothing. */
function execArgv(): string[] {
  if (!isTs) return [];
  try {
    return ['--import', import.meta.resolve('tsx')];
  } catch {
    return ['--import', 'tsx'];
  }
}

export async function startDemo(input: DemoOptions): Promise<DemoHandle> {
  const options = validateDemoOptions(input);
  const supervisor = new Supervisor(options);
  try {
    await supervisor.start();
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  return supervisor;
}

class Supervisor implements DemoHandle {
  readonly emitter: string;
  private readonly sdk: HarmonixSdk;
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private readonly upWaiters = new Set<() => void>();
  private nextRequest = 1;
  private stopping = false;
  private stopChaos: () => void = () => {};

  constructor(private readonly options: ResolvedDemoOptions) {
    this.sdk = createSdk({
      name: 'mesh-supervisor',
      collectorUrl: options.collectorUrl,
      token: options.token,
      flushIntervalMs: options.flushIntervalMs,
      otlpEndpoint: options.otlpEndpoint,
      closeTimeoutMs: 2000,
    });
    this.emitter = this.sdk.emitter;
    this.slots = Array.from({ length: options.nodes }, (_, i) => ({
      name: nodeName(i),
      port: null,
      state: 'starting' as const,
      incarnation: 0,
      upSince: 0,
      startedAt: 0,
      quickDeaths: 0,
      archived: [],
    }));
  }

  async start(): Promise<void> {
    for (const slot of this.slots) this.spawn(slot);
    await this.whenAllUp(this.options.startTimeoutMs);
    if (this.options.chaos) {
      this.stopChaos = startChaos(this.options.chaos, this.options.actorsPerNode, new Rng(this.options.seed ^ 0x9e3779b9), this.sdk, {
        targets: () => this.slots.map((s) => ({ name: s.name, pid: s.pid, up: s.state === 'up', upSince: s.upSince })),
        crashActor: (node, actor) => this.crashActor(node, actor),
        killNode: (node) => {
          const slot = this.slots.find((s) => s.name === node);
          if (slot?.pid) process.kill(slot.pid, 'SIGKILL');
        },
      });
    }
  }

  nodes(): DemoNodeInfo[] {
    return this.slots.map((s) => ({ name: s.name, id: meshNode(s.name).id, pid: s.pid, port: s.port, state: s.state, incarnation: s.incarnation }));
  }

  async stats(): Promise<EdgeStats[]> {
    const live = await Promise.all(this.slots.map((s) => this.request(s, 'stats') as Promise<NodeStats | undefined>));
    const merged = new Map<string, EdgeStats>();
    this.slots.forEach((slot, i) => {
      mergeEdges(merged, slot.archived);
      mergeEdges(merged, (live[i] ?? (slot.child ? slot.lastStats : undefined))?.edges ?? []);
    });
    return [...merged.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
  }

  async pauseTraffic(): Promise<void> {
    await this.all('pause');
    await this.all('drain');
  }

  async resumeTraffic(): Promise<void> {
    await this.all('resume');
  }

  async flush(): Promise<boolean> {
    const results = await this.all('flush');
    const own = await this.sdk.flush(5000);
    return own && results.every((r) => r === true);
  }

  crashActor(node: string, actor: string): void {
    this.post(
      this.slots.find((s) => s.name === node),
      { type: 'crash', actor },
    );
  }

  whenAllUp(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.slots.every((s) => s.state === 'up')) return;
        this.upWaiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.upWaiters.delete(check);
        const states = this.slots.map((s) => `${s.name}=${s.state}`).join(', ');
        reject(new Error(`demo: not every node came up within ${timeoutMs} ms (${states})`));
      }, timeoutMs);
      this.upWaiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopChaos();
    // Quiet first and deliver every flow sample, so no node's samples name actors of a node that already left.
    await this.all('pause');
    await Promise.race([this.all('flush'), new Promise((resolve) => setTimeout(resolve, 2500))]);
    await Promise.all(this.slots.map((slot) => this.stopSlot(slot)));
    await this.sdk.close();
  }

  private async stopSlot(slot: Slot): Promise<void> {
    clearTimeout(slot.restartTimer);
    const child = slot.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      slot.state = 'stopped';
      return;
    }
    slot.state = 'stopping';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void this.request(slot, 'stop', 10_000);
    const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
    await exited;
    clearTimeout(timer);
  }

  private spawn(slot: Slot): void {
    const config: NodeConfig = {
      name: slot.name,
      nodes: this.slots.map((s) => s.name),
      actorsPerNode: this.options.actorsPerNode,
      messageRateHz: this.options.messageRateHz,
      collectorUrl: this.options.collectorUrl,
      token: this.options.token,
      seed: (this.options.seed + this.slots.indexOf(slot) * 7919 + slot.incarnation * 104729) >>> 0,
      incarnation: slot.incarnation,
      flushIntervalMs: this.options.flushIntervalMs,
      mailboxCapacity: this.options.mailboxCapacity,
      otlpEndpoint: this.options.otlpEndpoint,
    };
    const child = fork(ENTRY, [JSON.stringify(config)], { execArgv: execArgv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    slot.child = child;
    slot.pid = child.pid;
    slot.state = slot.incarnation === 0 ? 'starting' : 'restarting';
    slot.startedAt = Date.now();
    slot.lastStats = undefined;
    child.on('message', (message: NodeToSupervisor) => void this.onMessage(slot, child, message));
    child.on('error', () => {});
    child.once('exit', (code, signal) => this.onExit(slot, child, code, signal));
  }

  private async onMessage(slot: Slot, child: ChildProcess, message: NodeToSupervisor): Promise<void> {
    if (slot.child !== child) return;
    switch (message.type) {
      case 'ready': {
        slot.port = message.port;
        this.broadcastPeers();
        if (slot.incarnation > 0) {
          // Announced (and delivered) before the new process spawns its actors, so the collector sees
          // node.recovered first.
          this.sdk.nodeRecovered(meshNode(slot.name), { attributes: { 'process.pid': child.pid ?? 0, 'hmx.incarnation': slot.incarnation } });
          await this.sdk.flush(3000);
        }
        this.post(slot, { type: 'start' });
        return;
      }
      case 'started':
        slot.state = 'up';
        slot.upSince = Date.now();
        for (const waiter of [...this.upWaiters]) waiter();
        return;
      case 'stats':
        slot.lastStats = message.stats;
        return;
      case 'response':
        if (message.result && typeof message.result === 'object' && 'edges' in message.result) slot.lastStats = message.result as NodeStats;
        this.settle(message.id, message.result);
        return;
    }
  }

  /** Detected through the child's exit event, i.e. immediately. */
  private onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    slot.child = undefined;
    slot.pid = undefined;
    for (const [id, entry] of [...this.pending]) if (entry.slot === slot) this.settle(id, undefined);
    slot.port = null;
    const down = new Set(slot.lastStats?.down);
    if (slot.lastStats) slot.archived.push(...slot.lastStats.edges);
    slot.lastStats = undefined;
    this.broadcastPeers();
    if (this.stopping || slot.state === 'stopping') {
      slot.state = 'stopped';
      return;
    }
    const reason = signal ? `process killed by ${signal}` : `process exited with code ${code}`;
    // The actors died with the process: say so for each (contract revision 1.1), before node.failed, so they are
    // exited rather than unknown. Those already down (crashed, restart pending) have their actor.exited on record.
    for (const actor of actorsOf(slot.name, this.options.actorsPerNode)) {
      if (!down.has(actor.id)) this.sdk.actorExited(actor, { reason, attributes: { 'process.pid': child.pid ?? 0 } });
    }
    this.sdk.nodeFailed(meshNode(slot.name), { reason, attributes: { 'process.pid': child.pid ?? 0, 'hmx.incarnation': slot.incarnation } });
    void this.sdk.flush(3000);
    slot.state = 'restarting';
    // A process that dies right after starting is restarted with growing delays instead of in a hot loop.
    slot.quickDeaths = Date.now() - slot.startedAt < 5000 ? slot.quickDeaths + 1 : 0;
    const delay = this.options.restartDelayMs * 2 ** Math.min(slot.quickDeaths, 5);
    slot.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      slot.incarnation += 1;
      this.spawn(slot);
    }, delay);
  }

  private broadcastPeers(): void {
    const peers = Object.fromEntries(this.slots.map((s) => [s.name, s.port]));
    for (const slot of this.slots) this.post(slot, { type: 'peers', peers });
  }

  private post(slot: Slot | undefined, message: SupervisorToNode): boolean {
    const child = slot?.child;
    if (!child?.connected) return false;
    try {
      child.send(message);
      return true;
    } catch {
      return false;
    }
  }

  /** Ask one node process; resolves undefined when it is down, dies meanwhile, or does not answer in time. */
  private request(slot: Slot, op: NodeOp, timeoutMs = 15_000): Promise<unknown> {
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(id, { slot, resolve, timer });
      if (!this.post(slot, { type: 'request', id, op })) this.settle(id, undefined);
    });
  }

  private settle(id: number, result: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(result);
  }

  private all(op: NodeOp): Promise<unknown[]> {
    return Promise.all(this.slots.map((s) => this.request(s, op)));
  }
}
