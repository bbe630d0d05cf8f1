// The one in-memory model of nodes, actors and flows. Changed only by contract records; read by every exporter.
import { type ActorRef, CONTRACT_VERSION, type ContractRecord, type Keyframe, type NodeRef } from '@harmonix/contract';
import type { Anomaly, AnomalyReason } from './anomalies.js';

export interface NodeEntry {
  ref: NodeRef;
  state: 'up' | 'failed';
  /** Source time (ms) of the last transition. */
  since: number;
}

export interface ActorEntry {
  ref: ActorRef;
  /** `unknown`: it was running when its node failed; only its own record says what became of it. */
  state: 'running' | 'exited' | 'unknown';
  restarts: number;
  since: number;
  reason?: string;
}

export interface FlowEntry {
  from: string;
  to: string;
  messages: number;
  bytes: number;
}

export interface ApplyResult {
  applied: boolean;
  /** The record's source time in ms (parsed once here; consumers reuse it). */
  at?: number;
  anomaly?: Anomaly;
  /** Actors removed as a consequence (node left). */
  removedActors?: ActorEntry[];
  /** Running actors whose state became unknown as a consequence (node failed). */
  unknownActors?: ActorEntry[];
}

export interface StateOptions {
  /** Exited actors kept (as ghosts with their restart count) before the oldest are forgotten. */
  maxExitedActors: number;
  /** Bounds on every per-entity map: valid input naming ever new ids must not grow memory (or /metrics) forever.
   * A record that would add an entry past its bound is not applied and counted as `entity_limit`. */
  maxNodes: number;
  maxActors: number;
  maxFlows: number;
  maxEmitters: number;
}

export const DEFAULT_STATE_OPTIONS: StateOptions = { maxExitedActors: 10_000, maxNodes: 10_000, maxActors: 100_000, maxFlows: 20_000, maxEmitters: 10_000 };

const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * A keyframe names at most this much of its emitters (JSON bytes), the most recently heard: the map travels in part 0,
 * which must fit a Loki line (MAX_KEYFRAME_PART_BYTES with the envelope). An emitter left out was silent for longest;
 * readers order its records by time, and a collector restarted from the keyframe no longer knows its last seq.
 */
export const KEYFRAME_EMITTERS_BYTES = 48 * 1024;

export class TopologyState {
  readonly nodes = new Map<string, NodeEntry>();
  readonly actors = new Map<string, ActorEntry>();
  readonly flows = new Map<string, FlowEntry>();
  /** Last sequence number per emitter, least recently heard first. */
  readonly emitters = new Map<string, number>();
  /** Emitters dropped from `emitters` to stay within maxEmitters (their seqs no longer guard against duplicates). */
  forgottenEmitters = 0;
  /** The emitter of the last applied record: already last in `emitters`' order. */
  private lastEmitter?: string;
  private readonly exitedOrder = new Set<string>();
  lastTime = 0;

  private readonly options: StateOptions;

  constructor(options: Partial<StateOptions> = {}) {
    this.options = { ...DEFAULT_STATE_OPTIONS, ...options };
  }

  /** `at`: record.time in epoch ms, when the caller parsed it already. */
  apply(record: ContractRecord, at = Date.parse(record.time)): ApplyResult {
    const last = this.emitters.get(record.emitter);
    if (last !== undefined && record.seq <= last) {
      return this.reject('duplicate_seq', record.type, `${record.emitter}#${record.seq}`);
    }
    // Every incarnation of a runtime is a new emitter (its seqs start again), so emitters come and go for as long as
    // the collector runs: at the bound the one silent longest is forgotten, never the newcomer refused.
    if (last === undefined && this.emitters.size >= this.options.maxEmitters) this.forgetOldestEmitter();
    if (record.emitter !== this.lastEmitter) {
      this.emitters.delete(record.emitter); // re-inserted below: last in the order
      this.lastEmitter = record.emitter;
    }
    this.emitters.set(record.emitter, record.seq);
    if (at > this.lastTime) this.lastTime = at;
    // transition() answers with a new object each time: completed here rather than copied (this runs per event)
    const result = this.transition(record, at);
    result.at = at;
    if (result.applied && last !== undefined && record.seq > last + 1) {
      // The event still happened; the gap only says some were lost upstream.
      result.anomaly = { reason: 'seq_gap', type: record.type, subject: record.emitter };
    }
    return result;
  }

  private transition(record: ContractRecord, at: number): ApplyResult {
    switch (record.type) {
      case 'node.joined': {
        if (this.nodes.has(record.node.id)) return this.reject('duplicate_join', record.type, record.node.id);
        if (this.nodes.size >= this.options.maxNodes) return this.reject('entity_limit', record.type, record.node.id);
        this.nodes.set(record.node.id, { ref: record.node, state: 'up', since: at });
        return { applied: true };
      }
      case 'node.failed': {
        const node = this.nodes.get(record.node.id);
        if (!node) return this.reject('unknown_node', record.type, record.node.id);
        if (node.state === 'failed') return this.reject('duplicate_failure', record.type, record.node.id);
        node.state = 'failed';
        node.since = at;
        return { applied: true, unknownActors: this.markUnknownOn(record.node.id, at) };
      }
      case 'node.recovered': {
        const node = this.nodes.get(record.node.id);
        if (!node) return this.reject('unknown_node', record.type, record.node.id);
        if (node.state !== 'failed') return this.reject('not_failed', record.type, record.node.id);
        node.state = 'up';
        node.since = at;
        return { applied: true };
      }
      case 'node.left': {
        if (!this.nodes.delete(record.node.id)) return this.reject('unknown_node', record.type, record.node.id);
        return { applied: true, removedActors: this.removeActorsOn(record.node.id) };
      }
      case 'actor.spawned': {
        if (!this.nodes.has(record.actor.node)) return this.reject('unknown_node', record.type, record.actor.node);
        const existing = this.actors.get(record.actor.id);
        if (existing?.state === 'running') return this.reject('duplicate_spawn', record.type, record.actor.id);
        if (!existing && this.actors.size >= this.options.maxActors) return this.reject('entity_limit', record.type, record.actor.id);
        this.exitedOrder.delete(record.actor.id);
        this.actors.set(record.actor.id, { ref: record.actor, state: 'running', restarts: existing?.restarts ?? 0, since: at });
        return { applied: true };
      }
      case 'actor.exited': {
        const actor = this.actors.get(record.actor.id);
        if (!actor) return this.reject('unknown_actor', record.type, record.actor.id);
        if (actor.state === 'exited') return this.reject('duplicate_exit', record.type, record.actor.id);
        if (at < actor.since) return this.reject('exit_before_spawn', record.type, record.actor.id);
        actor.state = 'exited';
        actor.since = at;
        actor.reason = record.reason;
        this.rememberExited(record.actor.id);
        return { applied: true };
      }
      case 'actor.restarted': {
        const actor = this.actors.get(record.actor.id);
        if (!actor) return this.reject('unknown_actor', record.type, record.actor.id);
        if (record.restartCount < actor.restarts) {
          return this.reject('restart_count_decreased', record.type, record.actor.id);
        }
        this.exitedOrder.delete(record.actor.id);
        actor.restarts = record.restartCount;
        actor.state = 'running';
        actor.since = at;
        actor.reason = record.reason;
        return { applied: true };
      }
      case 'flow': {
        const key = edgeKey(record.from, record.to);
        if (!this.flows.has(key) && this.flows.size >= this.options.maxFlows) return this.reject('entity_limit', record.type, `${record.from} -> ${record.to}`);
        const flow = this.flows.get(key) ?? { from: record.from, to: record.to, messages: 0, bytes: 0 };
        flow.messages += record.messages;
        flow.bytes += record.bytes;
        this.flows.set(key, flow);
        // Counted even when an end is unknown (the messages were real), but reported.
        if (!this.actors.has(record.from)) return { applied: true, anomaly: this.anomaly('unknown_actor', 'flow', record.from) };
        if (!this.actors.has(record.to)) return { applied: true, anomaly: this.anomaly('unknown_actor', 'flow', record.to) };
        return { applied: true };
      }
      case 'audit':
        return { applied: true };
    }
  }

  /** A failed node's running actors may still run (a NotReady k8s node) or not: not running, not exited. */
  private markUnknownOn(nodeId: string, at: number): ActorEntry[] {
    const marked: ActorEntry[] = [];
    for (const actor of this.actors.values()) {
      if (actor.ref.node !== nodeId || actor.state !== 'running') continue;
      actor.state = 'unknown';
      actor.since = at;
      marked.push(actor);
    }
    return marked;
  }

  private removeActorsOn(nodeId: string): ActorEntry[] {
    const removed: ActorEntry[] = [];
    for (const [id, actor] of this.actors) {
      if (actor.ref.node !== nodeId) continue;
      this.actors.delete(id);
      this.exitedOrder.delete(id);
      removed.push(actor);
    }
    return removed;
  }

  private rememberExited(id: string): void {
    this.exitedOrder.add(id);
    while (this.exitedOrder.size > this.options.maxExitedActors) {
      // Forget the actor that exited first (ties by id), so a state rebuilt from a keyframe forgets the same one.
      let oldest: ActorEntry | undefined;
      for (const candidate of this.exitedOrder) {
        const a = this.actors.get(candidate)!;
        if (!oldest || a.since < oldest.since || (a.since === oldest.since && a.ref.id < oldest.ref.id)) oldest = a;
      }
      this.exitedOrder.delete(oldest!.ref.id);
      this.actors.delete(oldest!.ref.id);
    }
  }

  private anomaly(reason: AnomalyReason, type: string, subject: string): Anomaly {
    return { reason, type, subject };
  }

  private forgetOldestEmitter(): void {
    const oldest = this.emitters.keys().next();
    if (oldest.done) return;
    this.emitters.delete(oldest.value);
    this.forgottenEmitters++;
  }

  /** The emitters heard most recently, as many as fit KEYFRAME_EMITTERS_BYTES of JSON, in name order. */
  private keyframeEmitters(): Record<string, number> {
    const kept: [string, number][] = [];
    let bytes = 2;
    for (const entry of [...this.emitters].reverse()) {
      bytes += Buffer.byteLength(JSON.stringify(entry[0])) + String(entry[1]).length + 2; // "name":seq, (escapes included)
      if (bytes > KEYFRAME_EMITTERS_BYTES) break;
      kept.push(entry);
    }
    return Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  private reject(reason: AnomalyReason, type: string, subject: string): ApplyResult {
    return { applied: false, anomaly: this.anomaly(reason, type, subject) };
  }

  /** The contract's full snapshot. Entities are sorted by id so equal states give equal keyframes. */
  keyframe(emitter: string, seq: number, time = new Date(this.lastTime || Date.now()).toISOString()): Keyframe {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      v: CONTRACT_VERSION,
      type: 'keyframe',
      time,
      emitter,
      seq,
      nodes: [...this.nodes.values()].map((n) => ({ ...n.ref, state: n.state })).sort(byId),
      actors: [...this.actors.values()].map((a) => ({ ...a.ref, state: a.state, restarts: a.restarts, since: new Date(a.since).toISOString() })).sort(byId),
      flows: [...this.flows.values()].map((f) => ({ ...f })).sort((a, b) => (edgeKey(a.from, a.to) < edgeKey(b.from, b.to) ? -1 : 1)),
      emitters: this.keyframeEmitters(),
    };
  }

  /** Rebuild a state from a keyframe (replay starts anywhere: one keyframe, then the deltas after it). */
  static fromKeyframe(frame: Keyframe, options?: Partial<StateOptions>): TopologyState {
    const state = new TopologyState(options);
    const at = Date.parse(frame.time);
    state.lastTime = at;
    for (const { state: s, ...ref } of frame.nodes) state.nodes.set(ref.id, { ref, state: s, since: at });
    for (const { state: s, restarts, since, ...ref } of frame.actors) {
      state.actors.set(ref.id, { ref, state: s, restarts, since: since ? Date.parse(since) : at });
      if (s === 'exited') state.exitedOrder.add(ref.id);
    }
    for (const f of frame.flows) state.flows.set(edgeKey(f.from, f.to), { ...f });
    for (const [emitter, seq] of Object.entries(frame.emitters ?? {})) state.emitters.set(emitter, seq);
    return state;
  }
}
