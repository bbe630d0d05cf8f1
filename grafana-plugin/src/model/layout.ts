import { ActorEntity, LAYERS, NodeEntity } from './contract';
import { hash32 } from './hash';
import { Steps, finish } from './steps';

export const GEOMETRY = {
  actor: 10,
  actorGap: 6,
  pad: 12,
  header: 22,
  nodeGap: 28,
};

export interface NodeBox {
  id: string;
  slot: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ActorSpot {
  id: string;
  node: string;
  slot: number;
  /** centre */
  x: number;
  y: number;
}

export interface Layout {
  nodeCols: number;
  actorCols: number;
  actorRows: number;
  boxW: number;
  boxH: number;
  nodes: Map<string, NodeBox>;
  actors: Map<string, ActorSpot>;
  width: number;
  height: number;
}

const TIERS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

function tier(n: number): number {
  return TIERS.find((t) => t >= n) ?? Math.ceil(n);
}

function layerRank(layer: string): number {
  const i = (LAYERS as readonly string[]).indexOf(layer);
  return i < 0 ? LAYERS.length : i;
}

/** Stable key: layer order, then kind, name, id; hash breaks remaining ties deterministically. */
function compareEntities(a: NodeEntity, b: NodeEntity): number {
  return (
    layerRank(a.layer) - layerRank(b.layer) ||
    (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    hash32(a.id) - hash32(b.id) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Assigns slots: kept slots first, then new ids (in stable order) take the lowest free slot. */
function assignSlots<E extends NodeEntity>(items: E[], kept: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  const used = new Set<number>();
  for (const e of items) {
    const s = kept.get(e.id);
    if (s !== undefined && !used.has(s)) {
      out.set(e.id, s);
      used.add(s);
    }
  }
  let free = 0;
  // only the ids without a kept slot are ordered (after a refresh, usually none)
  for (const e of items.filter((x) => !out.has(x.id)).sort(compareEntities)) {
    while (used.has(free)) {
      free++;
    }
    out.set(e.id, free);
    used.add(free);
  }
  return out;
}

/**
 * Computes positions for every entity that exists anywhere in the range. Deterministic for a given
 * entity set; with `prev`, existing entities keep their slots and new ones take free slots.
 * Node regions are equal-size cells of a grid; actors sit in slots inside their node's cell.
 */
export function computeLayout(nodesIn: NodeEntity[], actors: ActorEntity[], prev?: Layout): Layout {
  return finish(layoutSteps(nodesIn, actors, prev));
}

/** nodes (their actors' slots) or actors placed between two pauses of a layout in steps */
const NODES_PER_STEP = 16;
const ACTORS_PER_STEP = 2048;

/** computeLayout in steps. */
export function* layoutSteps(nodesIn: NodeEntity[], actors: ActorEntity[], prev?: Layout): Steps<Layout> {
  const nodeById = new Map<string, NodeEntity>();
  for (const n of nodesIn) {
    nodeById.set(n.id, n);
  }
  for (const a of actors) {
    if (!nodeById.has(a.node)) {
      nodeById.set(a.node, { id: a.node, kind: 'unknown', layer: 'unknown', name: a.node });
    }
  }
  const nodes = [...nodeById.values()];
  const byNode = new Map<string, ActorEntity[]>();
  for (const a of actors) {
    const list = byNode.get(a.node);
    if (list) {
      list.push(a);
    } else {
      byNode.set(a.node, [a]);
    }
  }
  const nodeSlots = assignSlots(nodes, new Map(prev ? [...prev.nodes.values()].map((b) => [b.id, b.slot]) : []));
  const actorSlots = new Map<string, number>();
  let maxSlot = 0;
  let done = 0;
  for (const [nodeId, list] of byNode) {
    if (++done % NODES_PER_STEP === 0) {
      yield;
    }
    const kept = new Map<string, number>();
    if (prev) {
      for (const a of list) {
        const p = prev.actors.get(a.id);
        if (p && p.node === nodeId) {
          kept.set(a.id, p.slot);
        }
      }
    }
    for (const [id, slot] of assignSlots(list, kept)) {
      actorSlots.set(id, slot);
      maxSlot = Math.max(maxSlot, slot + 1);
    }
  }
  // Keep the previous grid if it still fits, so refreshes do not move anything.
  let actorCols: number;
  let actorRows: number;
  if (prev && prev.actorCols * prev.actorRows >= maxSlot) {
    actorCols = prev.actorCols;
    actorRows = prev.actorRows;
  } else {
    actorCols = tier(Math.ceil(Math.sqrt(Math.max(1, maxSlot))));
    actorRows = Math.max(1, Math.ceil((maxSlot * 1.25) / actorCols));
  }
  const cell = GEOMETRY.actor + GEOMETRY.actorGap;
  const boxW = Math.max(120, actorCols * cell + 2 * GEOMETRY.pad - GEOMETRY.actorGap);
  const boxH = GEOMETRY.header + actorRows * cell + GEOMETRY.pad - GEOMETRY.actorGap;
  const sameBox = prev !== undefined && prev.boxW === boxW && prev.boxH === boxH;
  const nodeCols = sameBox
    ? prev!.nodeCols
    : tier(Math.max(1, Math.round(Math.sqrt((nodes.length * (16 / 9) * boxH) / boxW))));

  const layout: Layout = {
    nodeCols,
    actorCols,
    actorRows,
    boxW,
    boxH,
    nodes: new Map(),
    actors: new Map(),
    width: 0,
    height: 0,
  };
  let maxNodeSlot = 0;
  for (const n of nodes) {
    const slot = nodeSlots.get(n.id)!;
    maxNodeSlot = Math.max(maxNodeSlot, slot);
    const x = (slot % nodeCols) * (boxW + GEOMETRY.nodeGap);
    const y = Math.floor(slot / nodeCols) * (boxH + GEOMETRY.nodeGap);
    layout.nodes.set(n.id, { id: n.id, slot, x, y, w: boxW, h: boxH });
  }
  for (let i = 0; i < actors.length; i++) {
    if (i % ACTORS_PER_STEP === ACTORS_PER_STEP - 1) {
      yield;
    }
    const a = actors[i];
    const box = layout.nodes.get(a.node)!;
    const slot = actorSlots.get(a.id)!;
    layout.actors.set(a.id, {
      id: a.id,
      node: a.node,
      slot,
      x: box.x + GEOMETRY.pad + (slot % actorCols) * cell + GEOMETRY.actor / 2,
      y: box.y + GEOMETRY.header + Math.floor(slot / actorCols) * cell + GEOMETRY.actor / 2,
    });
  }
  const rows = Math.floor(maxNodeSlot / nodeCols) + 1;
  layout.width = Math.min(nodes.length, nodeCols) * (boxW + GEOMETRY.nodeGap) - GEOMETRY.nodeGap;
  layout.height = rows * (boxH + GEOMETRY.nodeGap) - GEOMETRY.nodeGap;
  return layout;
}

/** Spatial lookup over the layout grid: world point -> node cell -> actor slot, O(1). */
export class HitIndex {
  private nodeAtSlot: string[] = [];
  private slotToActor = new Map<string, string[]>();

  constructor(private layout: Layout) {
    for (const b of layout.nodes.values()) {
      this.nodeAtSlot[b.slot] = b.id;
    }
    for (const a of layout.actors.values()) {
      let arr = this.slotToActor.get(a.node);
      if (!arr) {
        arr = [];
        this.slotToActor.set(a.node, arr);
      }
      arr[a.slot] = a.id;
    }
  }

  at(x: number, y: number): { node?: string; actor?: string } {
    const layout = this.layout;
    if (x < 0 || y < 0) {
      return {};
    }
    const col = Math.floor(x / (layout.boxW + GEOMETRY.nodeGap));
    const row = Math.floor(y / (layout.boxH + GEOMETRY.nodeGap));
    const nodeId = col < layout.nodeCols ? this.nodeAtSlot[row * layout.nodeCols + col] : undefined;
    if (!nodeId) {
      return {};
    }
    const box = layout.nodes.get(nodeId)!;
    const lx = x - box.x;
    const ly = y - box.y;
    if (lx > box.w || ly > box.h) {
      return {};
    }
    const cell = GEOMETRY.actor + GEOMETRY.actorGap;
    const ax = lx - GEOMETRY.pad;
    const ay = ly - GEOMETRY.header;
    if (ax >= 0 && ay >= 0 && ax % cell <= GEOMETRY.actor + 1 && ay % cell <= GEOMETRY.actor + 1) {
      const c = Math.floor(ax / cell);
      const r = Math.floor(ay / cell);
      const actor = c < layout.actorCols ? this.slotToActor.get(nodeId)?.[r * layout.actorCols + c] : undefined;
      if (actor) {
        return { node: nodeId, actor };
      }
    }
    return { node: nodeId };
  }
}

/** Remembers the last layout of a panel so the next data change keeps existing slots. */
export class LayoutMemory {
  private last?: Layout;

  get previous(): Layout | undefined {
    return this.last;
  }

  remember(layout: Layout): void {
    this.last = layout;
  }
}
