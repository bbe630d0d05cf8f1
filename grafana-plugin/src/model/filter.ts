import { ActorEntity } from './contract';
import { EntityRegistry } from './entities';

export interface Filter {
  layers: string[];
  nodes: string[];
  actorKinds: string[];
  search: string;
}

export const emptyFilter: Filter = { layers: [], nodes: [], actorKinds: [], search: '' };

/** 1 = visible for each entity index. Empty lists mean "all". */
export function visibilityMask(reg: EntityRegistry, f: Filter): Uint8Array {
  const out = new Uint8Array(reg.size);
  const layers = new Set(f.layers);
  const nodes = new Set(f.nodes);
  const kinds = new Set(f.actorKinds);
  const q = f.search.trim().toLowerCase();
  const match = (e: { id: string; name: string }) =>
    !q || e.id.toLowerCase().includes(q) || e.name.toLowerCase().includes(q);
  const nodeOk = new Map<string, boolean>();
  const nodeHasMatch = new Set<string>();
  for (let i = 0; i < reg.size; i++) {
    const e = reg.info[i];
    if (reg.kinds[i] === 'node') {
      nodeOk.set(e.id, (layers.size === 0 || layers.has(e.layer)) && (nodes.size === 0 || nodes.has(e.id)));
    }
  }
  for (let i = 0; i < reg.size; i++) {
    const e = reg.info[i];
    if (reg.kinds[i] === 'actor') {
      const a = e as ActorEntity;
      const nodeMatches = q !== '' && match(reg.info[reg.nodeIndex(a.node) ?? -1] ?? { id: '', name: '' });
      const ok = nodeOk.get(a.node) !== false && (kinds.size === 0 || kinds.has(a.kind)) && (match(a) || nodeMatches);
      out[i] = ok ? 1 : 0;
      if (ok) {
        nodeHasMatch.add(a.node);
      }
    }
  }
  for (let i = 0; i < reg.size; i++) {
    const e = reg.info[i];
    if (reg.kinds[i] === 'node') {
      const restricted = q !== '' || kinds.size > 0;
      out[i] =
        nodeOk.get(e.id) && (!restricted || nodeHasMatch.has(e.id) || (q !== '' && kinds.size === 0 && match(e)))
          ? 1
          : 0;
    }
  }
  return out;
}
