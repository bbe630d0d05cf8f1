import { DataFrame } from '@grafana/data';
import { Problem } from './problems';
import { Role } from './roles';
import { PanelOptions } from '../types';

/** What was not understood in the frames, gathered while they are read. */
export class FrameDiagnostics {
  readonly problems: Problem[] = [];
  malformedEvents = 0;
  malformedExample?: string;

  add(p: Problem): void {
    this.problems.push(p);
  }

  malformed(error: string): void {
    this.malformedEvents++;
    this.malformedExample ??= error;
  }

  /** A series frame with no labelled series, or with series lacking the label that names their entity. */
  series(query: string, total: number, missing: number, label: string, metric: string): void {
    if (total === 0) {
      this.add({ kind: 'no-series', query, metric });
    } else if (missing > 0) {
      this.add({ kind: 'unlabelled-series', query, missing, total, label });
    }
  }

  /** After every frame was read: what keeps anything from being drawn (`blocking`), and what is missing. */
  conclude(frames: DataFrame[], found: Record<Role, boolean>, events: number, o: PanelOptions): Problem | undefined {
    const refIds = {
      nodesRefId: o.nodesRefId,
      actorsRefId: o.actorsRefId,
      flowsRefId: o.flowsRefId,
      eventsRefId: o.eventsRefId,
    };
    let blocking: Problem | undefined;
    if (frames.length === 0 || frames.every((fr) => !fr.fields || fr.length === 0)) {
      blocking = { kind: 'no-data', refIds };
    } else if (!found.nodes && !found.actors && !found.events && events === 0) {
      blocking = { kind: 'no-topology', refIds, malformed: this.malformedEvents, first: this.malformedExample };
    }
    if (!blocking && !found.flows) {
      this.add({ kind: 'no-flows', flowsRefId: o.flowsRefId });
    }
    if (this.malformedEvents > 0) {
      this.add({ kind: 'malformed-events', count: this.malformedEvents, first: this.malformedExample });
    }
    return blocking;
  }
}
