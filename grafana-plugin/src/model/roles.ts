import { DataFrame } from '@grafana/data';
import { LABELS, METRICS } from './contract';
import { labelledSeries, lineField } from './frameRead';
import { PanelOptions } from '../types';

export type Role = 'nodes' | 'actors' | 'flows' | 'events';

/** The role a frame's shape says it has (event lines or columns, or the labels of its series). */
export function detectRole(frame: DataFrame): Role | undefined {
  if (lineField(frame)) {
    return 'events';
  }
  const names = new Set(frame.fields.map((f) => f.name));
  if (names.has('type') && (names.has('time') || names.has('Time'))) {
    return 'events';
  }
  for (const s of labelledSeries(frame)) {
    const l = s.labels;
    if (l[LABELS.sourceActor] !== undefined || (l[LABELS.sgClient] !== undefined && l[LABELS.sgServer] !== undefined)) {
      return 'flows';
    }
    if (l[LABELS.actorId] !== undefined && (l.__name__ === undefined || l.__name__ === METRICS.actorUp)) {
      return 'actors';
    }
    if (l[LABELS.nodeId] !== undefined && l[LABELS.actorId] === undefined) {
      return 'nodes';
    }
  }
  return undefined;
}

/** The role the panel options give a refId. */
export function roleOfRefId(refId: string | undefined, o: PanelOptions): Role | undefined {
  if (!refId) {
    return undefined;
  }
  if (refId === o.nodesRefId) {
    return 'nodes';
  }
  if (refId === o.actorsRefId) {
    return 'actors';
  }
  if (refId === o.flowsRefId) {
    return 'flows';
  }
  if (refId === o.eventsRefId) {
    return 'events';
  }
  return undefined;
}
