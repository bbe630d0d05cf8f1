/**
 * Which node each actor is on, as the records placed it (the registry keeps only the latest description), so a
 * node's failure or departure reaches exactly the actors on it at that moment.
 */
export class NodePlacement {
  private readonly nodeOf: Int32Array;
  private readonly members = new Map<number, Set<number>>();

  constructor(entities: number) {
    this.nodeOf = new Int32Array(entities).fill(-1);
  }

  place(actor: number, node: number): void {
    const was = this.nodeOf[actor];
    if (was === node) {
      return;
    }
    if (was >= 0) {
      this.members.get(was)?.delete(actor);
    }
    this.nodeOf[actor] = node;
    let set = this.members.get(node);
    if (!set) {
      set = new Set();
      this.members.set(node, set);
    }
    set.add(actor);
  }

  /** Actors on the node, in placement order. */
  on(node: number): number[] {
    return [...(this.members.get(node) ?? [])];
  }

  /** Actors on the node, which no longer are on any node. */
  take(node: number): number[] {
    const actors = this.on(node);
    this.members.delete(node);
    for (const a of actors) {
      this.nodeOf[a] = -1;
    }
    return actors;
  }
}
