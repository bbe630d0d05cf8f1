// Per-edge flow counters between flushes; drained into contract `flow` samples (deltas per emitter and edge).
export interface FlowDelta {
  from: string;
  to: string;
  messages: number;
  bytes: number;
}

export class FlowCounters {
  private readonly edges = new Map<string, FlowDelta>();

  record(from: string, to: string, messages: number, bytes: number): void {
    const key = `${from}\u0000${to}`;
    const edge = this.edges.get(key);
    if (edge) {
      edge.messages += messages;
      edge.bytes += bytes;
    } else {
      this.edges.set(key, { from, to, messages, bytes });
    }
  }

  /** The deltas accumulated since the last drain (edges without traffic are not reported), then reset. */
  drain(): FlowDelta[] {
    const out = [...this.edges.values()].filter((e) => e.messages > 0 || e.bytes > 0);
    this.edges.clear();
    return out;
  }
}
