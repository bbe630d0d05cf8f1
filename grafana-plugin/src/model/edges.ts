import { EntityRegistry } from './entities';
import { upperBound } from './search';
import type { FlowSeries } from './frames';

function rateAt(s: FlowSeries, t: number, stale: number): number {
  const times = s.times;
  const i = upperBound(times, t) - 1;
  if (i < 0 || t - times[i] > stale) {
    return 0;
  }
  return s.rates[i];
}

function staleAfter(s: FlowSeries): number {
  const n = s.times.length;
  if (n < 2) {
    return 5 * 60_000;
  }
  return Math.max(1000, 3 * ((s.times[n - 1] - s.times[0]) / (n - 1)));
}

/** Actor-to-actor edges (one per from→to pair) and their aggregation to node-to-node edges. */
export class EdgeSet {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly fromNode: Int32Array;
  readonly toNode: Int32Array;
  /** index into nodeFrom/nodeTo, or -1 for edges inside one node */
  readonly nodeEdgeOf: Int32Array;
  readonly nodeFrom: Int32Array;
  readonly nodeTo: Int32Array;
  readonly series: FlowSeries[][];
  private stale: number[];

  constructor(flows: FlowSeries[], reg: EntityRegistry) {
    const byKey = new Map<string, FlowSeries[]>();
    for (const f of flows) {
      if (reg.actorIndex(f.from) === undefined || reg.actorIndex(f.to) === undefined) {
        continue;
      }
      const k = `${f.from}\u0000${f.to}`;
      const list = byKey.get(k);
      if (list) {
        list.push(f);
      } else {
        byKey.set(k, [f]);
      }
    }
    this.series = [...byKey.values()];
    const n = this.series.length;
    this.from = new Int32Array(n);
    this.to = new Int32Array(n);
    this.fromNode = new Int32Array(n);
    this.toNode = new Int32Array(n);
    this.nodeEdgeOf = new Int32Array(n);
    const nodePairs = new Map<string, number>();
    const nf: number[] = [];
    const nt: number[] = [];
    this.stale = [];
    this.series.forEach((list, i) => {
      const a = reg.actorIndex(list[0].from)!;
      const b = reg.actorIndex(list[0].to)!;
      this.from[i] = a;
      this.to[i] = b;
      const an = reg.nodeIndex((reg.info[a] as { node: string }).node) ?? -1;
      const bn = reg.nodeIndex((reg.info[b] as { node: string }).node) ?? -1;
      this.fromNode[i] = an;
      this.toNode[i] = bn;
      this.stale.push(Math.max(...list.map(staleAfter)));
      if (an === bn || an < 0 || bn < 0) {
        this.nodeEdgeOf[i] = -1;
        return;
      }
      const k = `${an}:${bn}`;
      let j = nodePairs.get(k);
      if (j === undefined) {
        j = nf.length;
        nodePairs.set(k, j);
        nf.push(an);
        nt.push(bn);
      }
      this.nodeEdgeOf[i] = j;
    });
    this.nodeFrom = Int32Array.from(nf);
    this.nodeTo = Int32Array.from(nt);
  }

  get size(): number {
    return this.series.length;
  }

  /** Messages/s of every edge at time t. */
  ratesAt(t: number, out: Float64Array): Float64Array {
    for (let i = 0; i < this.series.length; i++) {
      let r = 0;
      for (const s of this.series[i]) {
        r += rateAt(s, t, this.stale[i]);
      }
      out[i] = r;
    }
    return out;
  }

  /** Sums actor-edge rates into node-edge rates (edges inside a node are left out). */
  aggregate(rates: Float64Array, out: Float64Array, visible?: (edge: number) => boolean): Float64Array {
    out.fill(0);
    for (let i = 0; i < this.series.length; i++) {
      const j = this.nodeEdgeOf[i];
      if (j >= 0 && (!visible || visible(i))) {
        out[j] += rates[i];
      }
    }
    return out;
  }
}
