// The latest observations per source and metric, read by the exporters' asynchronous instruments.
import type { Observation } from './observation.js';

export class ObservationStore {
  private readonly bySource = new Map<string, Map<string, Observation[]>>();

  /** A pulled frame replaces the source's whole set, so a series that vanished stops being reported. */
  replace(source: string, observations: Observation[]): void {
    this.bySource.set(source, group(observations));
  }

  /** A pushed frame updates only the series it carries. */
  upsert(source: string, observations: Observation[]): void {
    const current = this.bySource.get(source) ?? new Map<string, Observation[]>();
    for (const [metric, list] of group(observations)) {
      const byKey = new Map((current.get(metric) ?? []).map((o) => [seriesKey(o), o]));
      for (const o of list) byKey.set(seriesKey(o), o);
      current.set(metric, [...byKey.values()]);
    }
    this.bySource.set(source, current);
  }

  /** All current observations of a metric, across sources. */
  get(metric: string): Observation[] {
    const out: Observation[] = [];
    for (const metrics of this.bySource.values()) out.push(...(metrics.get(metric) ?? []));
    return out;
  }

  clear(source: string): void {
    this.bySource.delete(source);
  }
}

function group(observations: Observation[]): Map<string, Observation[]> {
  const out = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = out.get(o.metric);
    if (list) list.push(o);
    else out.set(o.metric, [o]);
  }
  return out;
}

const seriesKey = (o: Observation) => JSON.stringify(Object.entries(o.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
