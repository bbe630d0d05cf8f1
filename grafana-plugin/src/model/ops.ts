/** Delta operations stored in the timeline index (one byte each). */
export const OP = {
  NODE_JOINED: 1,
  NODE_RECOVERED: 2,
  NODE_FAILED: 3,
  NODE_LEFT: 4,
  ACTOR_SPAWNED: 5,
  ACTOR_RESTARTED: 6,
  ACTOR_EXITED: 7,
  MARKER: 8,
  /** derived at build time: a running actor whose node failed (contract 1.1 `unknown`) */
  ACTOR_UNKNOWN: 9,
  /** derived at build time: an actor whose node left (the collector forgets it) */
  ACTOR_REMOVED: 10,
  /** derived at build time: the group (collector) that reported the entity stopped (contract 1.2): state unknown */
  EMITTER_LOST: 11,
  /** derived at build time: another group reports the entity now; its statement replaces the old one (1.2) */
  OWNER_CHANGED: 12,
  /** build-time only, never stored: a group stopped (value = its index) */
  GROUP_STOPPED: 13,
} as const;
export type OpCode = (typeof OP)[keyof typeof OP];

/** Entity status codes. Nodes: up/failed/left/unknown (their collector stopped). Actors: running/exited/unknown (node
 * failed or collector stopped). 0 = not present. */
export const STATUS = { ABSENT: 0, UP: 1, DOWN: 2, LEFT: 3, UNKNOWN: 4 } as const;

export const OP_OF_TYPE: Record<string, OpCode> = {
  'node.joined': OP.NODE_JOINED,
  'node.recovered': OP.NODE_RECOVERED,
  'node.failed': OP.NODE_FAILED,
  'node.left': OP.NODE_LEFT,
  'actor.spawned': OP.ACTOR_SPAWNED,
  'actor.restarted': OP.ACTOR_RESTARTED,
  'actor.exited': OP.ACTOR_EXITED,
  audit: OP.MARKER,
  annotation: OP.MARKER,
};

/** `value` marker for a state that was already present at the start of the range (not a join). */
export const INITIAL = -2;

export interface StateArrays {
  status: Uint8Array;
  since: Float64Array;
  lastOp: Uint8Array;
  restarts: Int32Array;
}

export function newState(n: number): StateArrays {
  return {
    status: new Uint8Array(n),
    since: new Float64Array(n),
    lastOp: new Uint8Array(n),
    restarts: new Int32Array(n),
  };
}

export function copyState(from: StateArrays, to: StateArrays): void {
  to.status.set(from.status);
  to.since.set(from.since);
  to.lastOp.set(from.lastOp);
  to.restarts.set(from.restarts);
}

/** Status each op sets (-1: none), as a lookup table for the hot loop. */
const TARGET = (() => {
  const t = new Int8Array(16).fill(-1);
  t[OP.NODE_JOINED] = STATUS.UP;
  t[OP.NODE_RECOVERED] = STATUS.UP;
  t[OP.ACTOR_SPAWNED] = STATUS.UP;
  t[OP.ACTOR_RESTARTED] = STATUS.UP;
  t[OP.NODE_FAILED] = STATUS.DOWN;
  t[OP.ACTOR_EXITED] = STATUS.DOWN;
  t[OP.NODE_LEFT] = STATUS.LEFT;
  t[OP.ACTOR_UNKNOWN] = STATUS.UNKNOWN;
  t[OP.ACTOR_REMOVED] = STATUS.ABSENT;
  t[OP.EMITTER_LOST] = STATUS.UNKNOWN;
  t[OP.OWNER_CHANGED] = STATUS.ABSENT;
  return t;
})();

/**
 * Applies one delta. `value` >= 0 sets the restart count; -1 means "restart: increment".
 * since/lastOp change only when the status changes (so duplicated evidence — a logged event and
 * the metric sample that follows it — does not re-flash), except restarts, which always flash.
 */
export function applyOp(s: StateArrays, entity: number, op: number, time: number, value: number): void {
  const to = TARGET[op];
  if (to < 0 || entity < 0) {
    return;
  }
  if (op === OP.ACTOR_RESTARTED) {
    s.restarts[entity] = value >= 0 ? value : s.restarts[entity] + 1;
    s.status[entity] = to;
    s.since[entity] = time;
    s.lastOp[entity] = op;
    return;
  }
  if (value >= 0) {
    s.restarts[entity] = value;
  }
  if (s.status[entity] !== to) {
    s.status[entity] = to;
    s.since[entity] = time;
    s.lastOp[entity] = value === INITIAL ? 0 : op;
  }
}
