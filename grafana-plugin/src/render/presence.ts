import { OP, STATUS, StateArrays } from '../model/ops';
import { EntityRegistry } from '../model/entities';

/** Appearance codes per entity at the playhead. FLASH is a bit added to UP. */
/** UNKNOWN: an actor whose node failed and whose fate no record has told (contract 1.1), or a node or actor whose
 * collector stopped reporting (1.2). */
export const LOOK = { HIDDEN: 0, UP: 1, FAILED: 2, GHOST: 3, UNKNOWN: 4, FLASH: 8 } as const;

export interface PresenceInput {
  reg: EntityRegistry;
  state: StateArrays;
  t: number;
  ghostMs: number;
  flashMs: number;
  /** filter mask (1 = visible) */
  visible: Uint8Array;
  /** per node: 1 if the node ever has state of its own (otherwise it is implied by its actors) */
  nodeHasState: Uint8Array;
}

/** actors shown per node, reused call to call (presence runs every animation frame while playing) */
let actorsShown = new Uint32Array(0);

/** Decides how each entity is drawn at time t (pure; also feeds tooltips and the keyboard list). */
export function presence(p: PresenceInput, out: Uint8Array): Uint8Array {
  const { reg, state, t } = p;
  out.fill(0);
  if (actorsShown.length < reg.size) {
    actorsShown = new Uint32Array(reg.size);
  }
  actorsShown.fill(0, 0, reg.size);
  for (let i = 0; i < reg.size; i++) {
    if (reg.kinds[i] !== 'actor' || !p.visible[i]) {
      continue;
    }
    const st = state.status[i];
    const age = t - state.since[i];
    let look: number = LOOK.HIDDEN;
    if (st === STATUS.UP) {
      const op = state.lastOp[i];
      look = LOOK.UP | ((op === OP.ACTOR_SPAWNED || op === OP.ACTOR_RESTARTED) && age < p.flashMs ? LOOK.FLASH : 0);
    } else if (st === STATUS.DOWN && age < p.ghostMs) {
      look = LOOK.GHOST;
    } else if (st === STATUS.UNKNOWN) {
      look = LOOK.UNKNOWN;
    }
    out[i] = look;
    if (look !== LOOK.HIDDEN) {
      const n = reg.nodeIndex((reg.info[i] as { node: string }).node);
      if (n !== undefined) {
        actorsShown[n]++;
      }
    }
  }
  for (let i = 0; i < reg.size; i++) {
    if (reg.kinds[i] !== 'node' || !p.visible[i]) {
      continue;
    }
    const st = state.status[i];
    const age = t - state.since[i];
    if (st === STATUS.UP) {
      const op = state.lastOp[i];
      out[i] = LOOK.UP | ((op === OP.NODE_JOINED || op === OP.NODE_RECOVERED) && age < p.flashMs ? LOOK.FLASH : 0);
    } else if (st === STATUS.DOWN) {
      out[i] = LOOK.FAILED;
    } else if (st === STATUS.UNKNOWN) {
      out[i] = LOOK.UNKNOWN;
    } else if (st === STATUS.LEFT && age < p.ghostMs) {
      out[i] = LOOK.GHOST;
    } else if (st === STATUS.ABSENT && !p.nodeHasState[i] && actorsShown[i] > 0) {
      out[i] = LOOK.UP;
    } else if (actorsShown[i] > 0) {
      // actors still shown (e.g. ghosts) on a departed node: keep the region as a ghost
      out[i] = LOOK.GHOST;
    }
  }
  return out;
}

export function nodeHasState(reg: EntityRegistry, entity: Int32Array, n: number): Uint8Array {
  const out = new Uint8Array(reg.size);
  for (let i = 0; i < n; i++) {
    const e = entity[i];
    if (e >= 0 && reg.kinds[e] === 'node') {
      out[e] = 1;
    }
  }
  return out;
}
