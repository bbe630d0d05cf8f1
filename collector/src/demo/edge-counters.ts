// Per-edge message accounting inside one node process (the demo's ground truth for the flow counters).
import { edgeKey, type EdgeStats } from './protocol.js';

type Field = 'sent' | 'received' | 'dropped' | 'undeliverable';

export class EdgeCounters {
  private readonly edges = new Map<string, EdgeStats>();

  bump(from: string, to: string, field: Field): void {
    const key = edgeKey(from, to);
    let edge = this.edges.get(key);
    if (!edge) {
      edge = { from, to, sent: 0, received: 0, dropped: 0, undeliverable: 0 };
      this.edges.set(key, edge);
    }
    edge[field] += 1;
  }

  snapshot(): EdgeStats[] {
    return [...this.edges.values()].map((e) => ({ ...e }));
  }
}
