import { Layout } from './layout';
import { EntityRegistry } from './entities';

/** Entities in reading order: nodes by slot, each followed by its actors by slot. */
export function readingOrder(
  reg: EntityRegistry,
  layout: Layout,
  shown: (i: number) => boolean
): { nodes: number[]; actorsOf: Map<number, number[]> } {
  const nodes: number[] = [];
  const actorsOf = new Map<number, number[]>();
  for (let i = 0; i < reg.size; i++) {
    if (!shown(i)) {
      continue;
    }
    if (reg.kinds[i] === 'node') {
      nodes.push(i);
    }
  }
  const slot = (i: number) =>
    (reg.kinds[i] === 'node' ? layout.nodes.get(reg.info[i].id)?.slot : layout.actors.get(reg.info[i].id)?.slot) ?? 0;
  nodes.sort((a, b) => slot(a) - slot(b));
  for (let i = 0; i < reg.size; i++) {
    if (reg.kinds[i] === 'actor' && shown(i)) {
      const n = reg.nodeIndex((reg.info[i] as { node: string }).node);
      if (n !== undefined) {
        const list = actorsOf.get(n) ?? [];
        list.push(i);
        actorsOf.set(n, list);
      }
    }
  }
  for (const list of actorsOf.values()) {
    list.sort((a, b) => slot(a) - slot(b));
  }
  return { nodes, actorsOf };
}

/**
 * Roving keyboard focus: arrows move between siblings (nodes, or actors of one node), Enter goes
 * into a node's actors, Escape goes back to the node, Home/End jump to the ends.
 * Returns the new focused entity index, or undefined when the key is not handled.
 */
export function navigate(
  reg: EntityRegistry,
  order: ReturnType<typeof readingOrder>,
  focus: number | undefined,
  key: string
): number | undefined {
  if (order.nodes.length === 0) {
    return undefined;
  }
  if (focus === undefined || focus < 0 || focus >= reg.size) {
    return ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'Home', 'End', 'Enter'].includes(key)
      ? order.nodes[0]
      : undefined;
  }
  const isActor = reg.kinds[focus] === 'actor';
  const parent = isActor ? reg.nodeIndex((reg.info[focus] as { node: string }).node) : undefined;
  const siblings = isActor ? (order.actorsOf.get(parent!) ?? []) : order.nodes;
  const pos = siblings.indexOf(focus);
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return siblings[Math.min(siblings.length - 1, pos + 1)] ?? focus;
    case 'ArrowLeft':
    case 'ArrowUp':
      return siblings[Math.max(0, pos - 1)] ?? focus;
    case 'Home':
      return siblings[0];
    case 'End':
      return siblings[siblings.length - 1];
    case 'Enter':
      return isActor ? undefined : (order.actorsOf.get(focus)?.[0] ?? undefined);
    case 'Escape':
      return isActor ? parent : undefined;
    default:
      return undefined;
  }
}
