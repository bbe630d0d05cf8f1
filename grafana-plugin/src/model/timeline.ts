import { ActorEntity, KeyframeEvent, NodeEntity, TimelineEvent } from './contract';
import { EmitterStop, reconcileEmitters } from './emitters';
import { EntityRegistry } from './entities';
import { INITIAL, OP, OP_OF_TYPE, STATUS, StateArrays, applyOp, copyState, newState } from './ops';
import { IncompleteKeyframe, assembleKeyframes } from './keyframeParts';
import { NodePlacement } from './placement';
import type { StateSeries } from './frames';
import { lowerBound, upperBound } from './search';

export interface TimelineInput {
  events: TimelineEvent[];
  nodes?: Array<StateSeries<NodeEntity>>;
  actors?: Array<StateSeries<ActorEntity>>;
  /** start of the dashboard range: entities already present in the first sample did not "join" then */
  rangeFrom?: number;
  /** end of the dashboard range: series that stop well before it are treated as gone */
  rangeTo?: number;
  /** ops between stored keyframes; default adapts to the entity count (memory bound) */
  keyframeEvery?: number;
  /** keyframes (part 0s) that only say when their collector was heard: never applied as state */
  heads?: KeyframeEvent[];
}

/** Growable struct-of-arrays list of delta ops. */
class OpList {
  time: Float64Array;
  entity: Int32Array;
  op: Uint8Array;
  value: Int32Array;
  /** actor ops: the entity index of the node the record places the actor on (-1: none) */
  node: Int32Array;
  /** the `since` a state change by this op records: its time, or a keyframe entry's own `since` */
  stamp: Float64Array;
  /** the group (collector) whose record or keyframe this op comes from (-1: none) */
  group: Int32Array;
  length = 0;

  constructor(capacity: number) {
    const n = Math.max(1024, capacity);
    this.time = new Float64Array(n);
    this.entity = new Int32Array(n);
    this.op = new Uint8Array(n);
    this.value = new Int32Array(n);
    this.node = new Int32Array(n);
    this.stamp = new Float64Array(n);
    this.group = new Int32Array(n);
  }

  push(time: number, entity: number, op: number, value: number, node = -1, stamp = time, group = -1) {
    if (this.length === this.time.length) {
      const n = this.length * 2;
      const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.time = grow(this.time, new Float64Array(n));
      this.entity = grow(this.entity, new Int32Array(n));
      this.op = grow(this.op, new Uint8Array(n));
      this.value = grow(this.value, new Int32Array(n));
      this.node = grow(this.node, new Int32Array(n));
      this.stamp = grow(this.stamp, new Float64Array(n));
      this.group = grow(this.group, new Int32Array(n));
    }
    const i = this.length++;
    this.time[i] = time;
    this.entity[i] = entity;
    this.op[i] = op;
    this.value[i] = value;
    this.node[i] = node;
    this.stamp[i] = stamp;
    this.group[i] = group;
  }
}

const ACTOR_OP_OF_STATE: Record<string, number> = {
  running: OP.ACTOR_SPAWNED,
  exited: OP.ACTOR_EXITED,
  unknown: OP.ACTOR_UNKNOWN,
};

function addEvent(ops: OpList, reg: EntityRegistry, ev: TimelineEvent, group: number) {
  if (ev.type === 'keyframe') {
    for (const n of ev.nodes) {
      ops.push(ev.time, reg.node(n), n.state === 'failed' ? OP.NODE_FAILED : OP.NODE_JOINED, -1, -1, ev.time, group);
    }
    for (const a of ev.actors) {
      // the keyframe says since when the actor is in that state (a node entry carries no `since`)
      const since = a.since !== undefined && a.since <= ev.time ? a.since : ev.time;
      ops.push(
        ev.time,
        reg.actor(a),
        ACTOR_OP_OF_STATE[a.state],
        a.restarts,
        reg.nodeIndex(a.node) ?? -1,
        since,
        group
      );
    }
    return;
  }
  const op = OP_OF_TYPE[ev.type];
  if (ev.node) {
    ops.push(ev.time, reg.node(ev.node), op, -1, -1, ev.time, group);
  } else if (ev.actor) {
    // as in the collector, only a spawn places an actor on a node (an exit or restart names it, but does not move it)
    const entity = reg.actor(ev.actor);
    const placed = op === OP.ACTOR_SPAWNED ? (reg.nodeIndex(ev.actor.node) ?? -1) : -1;
    ops.push(ev.time, entity, op, ev.restartCount ?? -1, placed, ev.time, group);
  } else {
    ops.push(ev.time, -1, OP.MARKER, -1);
  }
}

/** A gap longer than this many steps is a missing step (1.5: tolerates jitter in the sample times). */
const GAP_STEPS = 1.5;

function median(xs: number[]): number {
  if (xs.length === 0) {
    return 0;
  }
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function medianStep(times: number[]): number {
  const d: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const x = times[i] - times[i - 1];
    if (x > 0) {
      d.push(x);
    }
  }
  return median(d);
}

/**
 * Metric samples become implicit transitions, each at the first sample (or step) that shows it: first 1 =
 * joined/spawned, 1→0 failed/exited, 0→1 recovered/restarted, and a null sample or a missing step (a gap longer
 * than 1.5 steps, also before the end of the range) = left (nodes) / exited (actors) one step after the last
 * sample. A range query has a sample at every step while the series exists (Prometheus' lookback covers a missed
 * scrape), so a missing step means the series was gone. `step` is the series' own, or else the one the other
 * series show, so a series with a single sample ends too.
 */
function addSeries(
  ops: OpList,
  entity: number,
  node: number,
  s: StateSeries<unknown>,
  isNode: boolean,
  step: number,
  rangeFrom?: number,
  rangeTo?: number
) {
  const upOp = isNode ? OP.NODE_JOINED : OP.ACTOR_SPAWNED;
  const downOp = isNode ? OP.NODE_FAILED : OP.ACTOR_EXITED;
  const backOp = isNode ? OP.NODE_RECOVERED : OP.ACTOR_RESTARTED;
  const goneOp = isNode ? OP.NODE_LEFT : OP.ACTOR_EXITED;
  let prev: number | null = null;
  let prevTime = NaN;
  for (let i = 0; i < s.times.length; i++) {
    const t = s.times[i];
    const v = s.values[i];
    if (!Number.isFinite(t)) {
      continue;
    }
    if (prev !== null && step > 0 && t - prevTime > GAP_STEPS * step) {
      ops.push(prevTime + step, entity, goneOp, -1, node);
      prev = null;
    }
    if (v === null) {
      if (prev !== null) {
        ops.push(t, entity, goneOp, -1, node);
      }
      prev = null;
      continue;
    }
    const up = v > 0 ? 1 : 0;
    if (prev === null) {
      // present from the first sample of the range: state without a join/spawn (no flash)
      const initial = i === 0 && rangeFrom !== undefined && t - rangeFrom < Math.max(step, 2) / 2;
      ops.push(t, entity, up ? upOp : downOp, initial ? INITIAL : -1, node);
    } else if (prev !== up) {
      ops.push(t, entity, up ? backOp : downOp, -1, node);
    }
    prev = up;
    prevTime = t;
  }
  if (prev !== null && step > 0 && rangeTo !== undefined && rangeTo - prevTime > GAP_STEPS * step) {
    ops.push(prevTime + step, entity, goneOp, -1, node);
  }
}

function sortedOrder(time: Float64Array, n: number): Uint32Array | null {
  let asc = true;
  for (let i = 1; i < n && asc; i++) {
    asc = time[i] >= time[i - 1];
  }
  if (asc) {
    return null;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  return order.sort((a, b) => time[a] - time[b] || a - b);
}

/**
 * Timeline index: ops sorted by time, a keyframe (full state copy) every K ops.
 * stateAt(t) = nearest keyframe at or before t + at most K deltas: O(log n + K).
 */
export class TimelineIndex {
  readonly registry: EntityRegistry;
  readonly time: Float64Array;
  readonly entity: Int32Array;
  readonly op: Uint8Array;
  readonly value: Int32Array;
  readonly stamp: Float64Array;
  readonly length: number;
  readonly K: number;
  private keyframes: StateArrays[] = [];
  private scratch: StateArrays;
  /** number of ops folded into scratch; -1 = scratch invalid */
  private cursor = -1;

  /** build phase durations in ms (for the benchmark) */
  readonly buildStats: Record<string, number> = {};
  /** keyframes that lacked a part: left out (never applied as a whole snapshot), to be reported */
  readonly incompleteKeyframes: IncompleteKeyframe[];
  /** groups (collectors) that stopped reporting, with how many of their entities became unknown */
  readonly stops: Array<EmitterStop & { entities: number }> = [];

  constructor(input: TimelineInput) {
    const clock = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();
    let mark = clock();
    const phase = (name: string) => {
      const now = clock();
      this.buildStats[name] = now - mark;
      mark = now;
    };
    const reg = new EntityRegistry();
    const assembled = assembleKeyframes(input.events);
    this.incompleteKeyframes = assembled.incomplete;
    const { events, groupOf, stops } = reconcileEmitters(assembled.events, input.heads);
    let expected = events.length;
    for (const s of [...(input.nodes ?? []), ...(input.actors ?? [])]) {
      expected += 2 + (s.times.length >> 3);
    }
    const ops = new OpList(expected);
    const nodeSteps = (input.nodes ?? []).map((s) => medianStep(s.times));
    const actorSteps = (input.actors ?? []).map((s) => medianStep(s.times));
    const sharedStep = median([...nodeSteps, ...actorSteps].filter((x) => x > 0));
    (input.nodes ?? []).forEach((s, i) => {
      addSeries(ops, reg.node(s.entity), -1, s, true, nodeSteps[i] || sharedStep, input.rangeFrom, input.rangeTo);
    });
    (input.actors ?? []).forEach((s, i) => {
      const a = reg.actor(s.entity);
      addSeries(
        ops,
        a,
        reg.nodeIndex(s.entity.node) ?? -1,
        s,
        false,
        actorSteps[i] || sharedStep,
        input.rangeFrom,
        input.rangeTo
      );
    });
    events.forEach((ev, i) => addEvent(ops, reg, ev, groupOf[i]));
    stops.forEach((stop, k) => ops.push(stop.at, -1, OP.GROUP_STOPPED, k));
    phase('ops');
    const n = ops.length;
    const order = sortedOrder(ops.time, n);
    phase('sort');
    this.registry = reg;
    const E = Math.max(1, reg.size);
    // keep all keyframes under ~24 MB: (n / K) * 14 bytes * E (a seek then folds at most K deltas)
    this.K = input.keyframeEvery ?? Math.max(256, Math.ceil((n * E * 14) / 24e6));
    const out = new OpList(n);
    const s = newState(E);
    this.keyframes.push(newState(E));
    const emit = (time: number, entity: number, op: number, value: number, stamp = time) => {
      out.push(time, entity, op, value, -1, stamp);
      applyOp(s, entity, op, stamp, value);
      if (out.length % this.K === 0) {
        const kf = newState(E);
        copyState(s, kf);
        this.keyframes.push(kf);
      }
    };
    // Contract 1.1, as the collector's TopologyState applies it: a node failing makes its running actors unknown
    // (exited ones stay exited), a node leaving ends its actors. Expanded here into actor ops at the node op's time.
    const placement = new NodePlacement(E);
    // Contract 1.2: an entity belongs to the group of the newest statement about it (its state is that statement's);
    // when its group stops, what it last said is no longer known to hold.
    const owner = new Int32Array(E).fill(-1);
    for (let i = 0; i < n; i++) {
      const j = order ? order[i] : i;
      const entity = ops.entity[j];
      const op = ops.op[j];
      const time = ops.time[j];
      if (op === OP.GROUP_STOPPED) {
        const stop = stops[ops.value[j]];
        let lost = 0;
        for (let e = 0; e < E; e++) {
          const st = s.status[e];
          // up nodes and running actors; a failed node too (its failure is no longer known to last); exited actors stay
          if (owner[e] === stop.index && (st === STATUS.UP || (st === STATUS.DOWN && reg.kinds[e] === 'node'))) {
            emit(time, e, OP.EMITTER_LOST, -1);
            lost++;
          }
        }
        this.stops.push({ ...stop, entities: lost });
        continue;
      }
      const group = ops.group[j];
      if (entity >= 0) {
        // a statement from no group (an emitter no keyframe names) leaves the entity unowned: never judged stopped
        if (group >= 0 && owner[entity] >= 0 && owner[entity] !== group && s.status[entity] !== STATUS.ABSENT) {
          emit(time, entity, OP.OWNER_CHANGED, 0);
        }
        owner[entity] = group;
      }
      const before = entity >= 0 ? s.status[entity] : -1;
      if (ops.node[j] >= 0) {
        placement.place(entity, ops.node[j]);
      }
      emit(time, entity, op, ops.value[j], ops.stamp[j]);
      if (op === OP.NODE_FAILED && before !== STATUS.DOWN) {
        for (const a of placement.on(entity)) {
          if (s.status[a] === STATUS.UP) {
            emit(time, a, OP.ACTOR_UNKNOWN, -1);
            owner[a] = group;
          }
        }
      } else if (op === OP.NODE_LEFT && before !== STATUS.LEFT) {
        for (const a of placement.take(entity)) {
          emit(time, a, OP.ACTOR_REMOVED, 0);
          owner[a] = group;
        }
      }
    }
    this.length = out.length;
    this.time = out.time.slice(0, out.length);
    this.entity = out.entity.slice(0, out.length);
    this.op = out.op.slice(0, out.length);
    this.value = out.value.slice(0, out.length);
    this.stamp = out.stamp.slice(0, out.length);
    this.scratch = newState(E);
    phase('keyframes');
  }

  /** Number of ops with time <= t. */
  countAt(t: number): number {
    return upperBound(this.time, t, this.length);
  }

  /**
   * State at time t (all ops with time <= t folded). Returns a shared buffer that is valid until
   * the next call; copy it to keep it.
   */
  stateAt(t: number): StateArrays {
    const target = this.countAt(t);
    const s = this.scratch;
    let from: number;
    if (this.cursor >= 0 && this.cursor <= target && target - this.cursor <= this.K) {
      from = this.cursor; // moving forward a little (playback): keep folding
    } else {
      const k = Math.floor(target / this.K);
      copyState(this.keyframes[k], s);
      from = k * this.K;
    }
    for (let i = from; i < target; i++) {
      applyOp(s, this.entity[i], this.op[i], this.stamp[i], this.value[i]);
    }
    this.cursor = target;
    return s;
  }

  /** A detached copy of the state at t (does not move the playback cursor). */
  snapshotAt(t: number): StateArrays {
    const target = this.countAt(t);
    const k = Math.floor(target / this.K);
    const out = newState(Math.max(1, this.registry.size));
    copyState(this.keyframes[k], out);
    for (let i = k * this.K; i < target; i++) {
      applyOp(out, this.entity[i], this.op[i], this.stamp[i], this.value[i]);
    }
    return out;
  }

  /** Time of the first op strictly after t, or undefined. */
  nextEventTime(t: number): number | undefined {
    const i = upperBound(this.time, t, this.length);
    return i < this.length ? this.time[i] : undefined;
  }

  /** Time of the last op strictly before t, or undefined. */
  prevEventTime(t: number): number | undefined {
    const lo = lowerBound(this.time, t, this.length);
    return lo > 0 ? this.time[lo - 1] : undefined;
  }

  /** Event counts in `bins` equal bins over [from, to] (for the timeline markers). */
  density(from: number, to: number, bins: number): Uint32Array {
    const out = new Uint32Array(Math.max(1, bins));
    if (to <= from) {
      return out;
    }
    const w = (to - from) / out.length;
    const start = upperBound(this.time, from - 1e-9, this.length);
    for (let i = Math.max(0, start - 1); i < this.length; i++) {
      const t = this.time[i];
      if (t < from) {
        continue;
      }
      if (t > to) {
        break;
      }
      out[Math.min(out.length - 1, Math.floor((t - from) / w))]++;
    }
    return out;
  }
}
