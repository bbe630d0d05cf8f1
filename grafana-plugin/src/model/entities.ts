import { ActorEntity, NodeEntity } from './contract';

export type EntityKind = 'node' | 'actor';

export interface EntityRef {
  kind: EntityKind;
  index: number;
  node?: NodeEntity;
  actor?: ActorEntity;
}

/** Interns node and actor ids to dense indices (separate id namespaces). */
export class EntityRegistry {
  // actor() registers the actor's node implicitly (kind "unknown") so the layout can place it
  readonly kinds: EntityKind[] = [];
  readonly info: Array<NodeEntity | ActorEntity> = [];
  private nodeIdx = new Map<string, number>();
  private actorIdx = new Map<string, number>();

  get size(): number {
    return this.info.length;
  }

  node(e: NodeEntity): number {
    let i = this.nodeIdx.get(e.id);
    if (i === undefined) {
      i = this.info.length;
      this.nodeIdx.set(e.id, i);
      this.kinds.push('node');
      this.info.push({ ...e });
    } else if (e.kind !== 'unknown' || e.name !== e.id) {
      this.info[i] = { ...e };
    }
    return i;
  }

  actor(e: ActorEntity): number {
    let i = this.actorIdx.get(e.id);
    if (i === undefined) {
      this.implicitNode(e.node, e.layer);
      i = this.info.length;
      this.actorIdx.set(e.id, i);
      this.kinds.push('actor');
      this.info.push({ ...e });
    } else {
      const cur = this.info[i] as ActorEntity;
      // the latest description wins (an actor may be respawned elsewhere); allocate only on change
      if (cur.node !== e.node || cur.name !== e.name || cur.kind !== e.kind || cur.layer !== e.layer) {
        this.implicitNode(e.node, e.layer);
        this.info[i] = { ...e };
      }
    }
    return i;
  }

  /** Registers a node known only by id (from an actor's `node` field) unless already known. */
  implicitNode(id: string, layer: string): void {
    if (!this.nodeIdx.has(id)) {
      this.node({ id, kind: 'unknown', layer, name: id });
    }
  }

  nodeIndex(id: string): number | undefined {
    return this.nodeIdx.get(id);
  }

  actorIndex(id: string): number | undefined {
    return this.actorIdx.get(id);
  }

  nodes(): NodeEntity[] {
    return this.info.filter((_, i) => this.kinds[i] === 'node');
  }

  actors(): ActorEntity[] {
    return this.info.filter((_, i) => this.kinds[i] === 'actor') as ActorEntity[];
  }
}
