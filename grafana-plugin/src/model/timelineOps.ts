import { ActorEntity, KeyframeEvent, NodeEntity, TimelineEvent } from './contract';
import { EmitterStop } from './emitters';
import { EntityRegistry } from './entities';
import type { StateSeries } from './frames';
import { median } from './median';
import { INITIAL, OP, OP_OF_TYPE } from './ops';
import { Steps } from './steps';

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
export class OpList {
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

/** ops made from records, keyframe entries and samples between two pauses of a build in steps */
const OPS_PER_STEP = 2048;

/** A keyframe's entries as ops, pausing whenever `due` says so: one keyframe of 10,000 actors is ~30 ms of work, too
 * long for one step of a build that shares the thread with the frames being drawn. */
function* addKeyframe(
  ops: OpList,
  reg: EntityRegistry,
  ev: KeyframeEvent,
  group: number,
  due: () => boolean
): Steps<void> {
  for (const n of ev.nodes) {
    ops.push(ev.time, reg.node(n), n.state === 'failed' ? OP.NODE_FAILED : OP.NODE_JOINED, -1, -1, ev.time, group);
  }
  for (const a of ev.actors) {
    // the keyframe says since when the actor is in that state (a node entry carries no `since`)
    const since = a.since !== undefined && a.since <= ev.time ? a.since : ev.time;
    ops.push(ev.time, reg.actor(a), ACTOR_OP_OF_STATE[a.state], a.restarts, reg.nodeIndex(a.node) ?? -1, since, group);
    if (due()) {
      yield;
    }
  }
}

/** A record (not a keyframe) as its op. */
function addRecord(ops: OpList, reg: EntityRegistry, ev: Exclude<TimelineEvent, KeyframeEvent>, group: number) {
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

function medianStep(times: number[]): number {
  const d: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const x = times[i] - times[i - 1];
    if (x > 0) {
      d.push(x);
    }
  }
  return median(d) ?? 0;
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

/** The order that sorts ops by time (stable), or null when they already are. */
export function sortedOrder(time: Float64Array, n: number): Uint32Array | null {
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

/** All the ops the inputs imply, in input order: state series as transitions, then records and keyframes
 * (each with its group), then one GROUP_STOPPED per stopped group (value = its index in `stops`). */
export function* buildOps(
  input: TimelineInput,
  reg: EntityRegistry,
  events: TimelineEvent[],
  groupOf: number[],
  stops: readonly EmitterStop[]
): Steps<OpList> {
  let expected = events.length;
  for (const s of [...(input.nodes ?? []), ...(input.actors ?? [])]) {
    expected += 2 + (s.times.length >> 3);
  }
  const ops = new OpList(expected);
  const nodeSteps = (input.nodes ?? []).map((s) => medianStep(s.times));
  const actorSteps = (input.actors ?? []).map((s) => medianStep(s.times));
  const sharedStep = median([...nodeSteps, ...actorSteps].filter((x) => x > 0)) ?? 0;
  let paused = 0;
  // a pause is due once OPS_PER_STEP ops were added since the last one
  const due = () => {
    if (ops.length - paused < OPS_PER_STEP) {
      return false;
    }
    paused = ops.length;
    return true;
  };
  for (const [i, s] of (input.nodes ?? []).entries()) {
    addSeries(ops, reg.node(s.entity), -1, s, true, nodeSteps[i] || sharedStep, input.rangeFrom, input.rangeTo);
    if (due()) {
      yield;
    }
  }
  for (const [i, s] of (input.actors ?? []).entries()) {
    const a = reg.actor(s.entity);
    const node = reg.nodeIndex(s.entity.node) ?? -1;
    addSeries(ops, a, node, s, false, actorSteps[i] || sharedStep, input.rangeFrom, input.rangeTo);
    if (due()) {
      yield;
    }
  }
  yield;
  paused = ops.length;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (ev.type === 'keyframe') {
      yield* addKeyframe(ops, reg, ev, groupOf[i], due);
    } else {
      addRecord(ops, reg, ev, groupOf[i]);
    }
    if (due()) {
      yield;
    }
  }
  stops.forEach((stop, k) => ops.push(stop.at, -1, OP.GROUP_STOPPED, k));
  return ops;
}
