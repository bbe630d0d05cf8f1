import { EmitterStop, reconcileEmitters } from './emitters';
import { EntityRegistry } from './entities';
import { OP, STATUS, StateArrays, applyOp, copyState, newState } from './ops';
import { IncompleteKeyframe, assembleKeyframes } from './keyframeParts';
import { NodePlacement } from './placement';
import { lowerBound, upperBound } from './search';
import { Steps, finish } from './steps';
import { OpList, TimelineInput, buildOps, sortedOrder } from './timelineOps';

/** What an index is made of. */
interface BuiltTimeline {
  registry: EntityRegistry;
  time: Float64Array;
  entity: Int32Array;
  op: Uint8Array;
  value: Int32Array;
  stamp: Float64Array;
  K: number;
  keyframes: StateArrays[];
  incompleteKeyframes: IncompleteKeyframe[];
  stops: Array<EmitterStop & { entities: number }>;
  buildStats: Record<string, number>;
}

/** ops folded between two pauses of a build in steps */
const OPS_PER_STEP = 4096;

function* buildTimeline(input: TimelineInput): Steps<BuiltTimeline> {
  const buildStats: Record<string, number> = {};
  const keyframes: StateArrays[] = [];
  const stopped: BuiltTimeline['stops'] = [];
  const clock = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();
  let mark = clock();
  const phase = (name: string) => {
    const now = clock();
    buildStats[name] = now - mark;
    mark = now;
  };
  const reg = new EntityRegistry();
  const assembled = assembleKeyframes(input.events);
  yield;
  const { events, groupOf, stops } = reconcileEmitters(assembled.events, input.heads);
  yield;
  const ops = yield* buildOps(input, reg, events, groupOf, stops);
  phase('ops');
  const n = ops.length;
  const order = sortedOrder(ops.time, n);
  phase('sort');
  yield;
  const E = Math.max(1, reg.size);
  // keep all keyframes under ~24 MB: (n / K) * 14 bytes * E (a seek then folds at most K deltas)
  const K = input.keyframeEvery ?? Math.max(256, Math.ceil((n * E * 14) / 24e6));
  const out = new OpList(n);
  const s = newState(E);
  keyframes.push(newState(E));
  const emit = (time: number, entity: number, op: number, value: number, stamp = time) => {
    out.push(time, entity, op, value, -1, stamp);
    applyOp(s, entity, op, stamp, value);
    if (out.length % K === 0) {
      const kf = newState(E);
      copyState(s, kf);
      keyframes.push(kf);
    }
  };
  // Contract 1.1, as the collector's TopologyState applies it: a node failing makes its running actors unknown
  // (exited ones stay exited), a node leaving ends its actors. Expanded here into actor ops at the node op's time.
  const placement = new NodePlacement(E);
  // Contract 1.2: an entity belongs to the group of the newest statement about it (its state is that statement's);
  // when its group stops, what it last said is no longer known to hold.
  const owner = new Int32Array(E).fill(-1);
  for (let i = 0; i < n; i++) {
    if (i % OPS_PER_STEP === OPS_PER_STEP - 1) {
      yield;
    }
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
      stopped.push({ ...stop, entities: lost });
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
  phase('keyframes');
  const n2 = out.length;
  return {
    registry: reg,
    time: out.time.slice(0, n2),
    entity: out.entity.slice(0, n2),
    op: out.op.slice(0, n2),
    value: out.value.slice(0, n2),
    stamp: out.stamp.slice(0, n2),
    K,
    keyframes,
    incompleteKeyframes: assembled.incomplete,
    stops: stopped,
    buildStats,
  };
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
  private readonly keyframes: StateArrays[];
  private readonly scratch: StateArrays;
  /** number of ops folded into scratch; -1 = scratch invalid */
  private cursor = -1;

  /** build phase durations in ms (for the benchmark; wall time, with the pauses of a build in steps) */
  readonly buildStats: Record<string, number>;
  /** keyframes that lacked a part: left out (never applied as a whole snapshot), to be reported */
  readonly incompleteKeyframes: IncompleteKeyframe[];
  /** groups (collectors) that stopped reporting, with how many of their entities became unknown */
  readonly stops: Array<EmitterStop & { entities: number }>;

  /** Built by `TimelineIndex.of` (at once) or `TimelineIndex.steps` (in steps). */
  private constructor(b: BuiltTimeline) {
    this.registry = b.registry;
    this.time = b.time;
    this.entity = b.entity;
    this.op = b.op;
    this.value = b.value;
    this.stamp = b.stamp;
    this.length = b.time.length;
    this.K = b.K;
    this.keyframes = b.keyframes;
    this.incompleteKeyframes = b.incompleteKeyframes;
    this.stops = b.stops;
    this.buildStats = b.buildStats;
    this.scratch = newState(Math.max(1, b.registry.size));
  }

  static of(input: TimelineInput): TimelineIndex {
    return finish(TimelineIndex.steps(input));
  }

  /** The index built in steps: pauses between phases and every few thousand ops. */
  static *steps(input: TimelineInput): Steps<TimelineIndex> {
    return new TimelineIndex(yield* buildTimeline(input));
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
