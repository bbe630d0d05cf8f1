import { METRICS } from './contract';
import { EmitterStop, STOPPED_AFTER_INTERVALS } from './emitters';
import { IncompleteKeyframe } from './keyframeParts';
import { PanelOptions } from '../types';

type RefIds = Pick<PanelOptions, 'nodesRefId' | 'actorsRefId' | 'flowsRefId' | 'eventsRefId'>;

/** Something in the data the panel could not use, in fields; `formatProblem` gives its words. `query` is the
 * frame's refId (or name). */
export type Problem =
  | { kind: 'no-event-columns'; query: string }
  | { kind: 'unsafe-columns'; query: string; columns: string[] }
  | { kind: 'no-series'; query: string; metric: string }
  | { kind: 'unlabelled-series'; query: string; missing: number; total: number; label: string }
  | { kind: 'unrecognised-frame'; query: string }
  | { kind: 'unreadable-frame'; query: string; error: string }
  | { kind: 'no-flows'; flowsRefId: string }
  | { kind: 'malformed-events'; count: number; first?: string }
  /** blocking: no frames with data at all */
  | { kind: 'no-data'; refIds: RefIds }
  /** blocking: neither node/actor state nor lifecycle events */
  | { kind: 'no-topology'; refIds: RefIds; malformed: number; first?: string }
  | { kind: 'incomplete-keyframe'; keyframe: IncompleteKeyframe }
  | { kind: 'emitter-stopped'; stop: EmitterStop & { entities: number } }
  // the stored-data path: what a window could not give in full (a Cut's problem)
  /** a stored keyframe missing parts; `rebuiltFrom`: the time of the complete one used instead */
  | {
      kind: 'stored-keyframe-incomplete';
      emitter: string;
      time: number;
      present: number;
      count: number;
      rebuiltFrom?: number;
    }
  | { kind: 'no-complete-keyframe' }
  | { kind: 'live-unread'; error: string }
  | { kind: 'millisecond-over-budget'; limit: number }
  | { kind: 'millisecond-shared-seq'; limit: number }
  | { kind: 'pages-exhausted'; maxPages: number; limit: number }
  | { kind: 'flows-not-shown'; error: string }
  | { kind: 'coarser-flow-step'; stepMs: number; requestedMs: number; refusal: string }
  | { kind: 'density-not-shown'; error: string };

const iso = (t: number) => new Date(t).toISOString();

function incompleteKeyframe(k: IncompleteKeyframe): string {
  const what = k.conflict ? k.conflict : `${k.received} of ${k.count} parts received`;
  const span = `${iso(k.time)} – ${k.until !== undefined ? iso(k.until) : 'the end of the data'}`;
  return `Keyframe ${k.id} at ${iso(k.time)} is incomplete (${what}); it was not applied, so the state over ${span} comes from earlier keyframes and the lifecycle records alone`;
}

function emitterStopped(s: EmitterStop & { entities: number }): string {
  const back =
    s.until !== undefined
      ? `; heard again at ${iso(s.until)}, its entities stay unknown until a record says otherwise`
      : '';
  return `${s.group} not heard since ${iso(s.heard)} (${STOPPED_AFTER_INTERVALS} keyframe intervals of ${Math.round(s.intervalMs / 1000)} s): its ${s.entities} entities are shown as unknown from ${iso(s.at)}${back}`;
}

/** The one place a problem becomes the words the panel shows. */
export function formatProblem(p: Problem): string {
  switch (p.kind) {
    case 'no-event-columns':
      return `Query "${p.query}": no "Line" field with event JSON and no "type" column, so no lifecycle events were read`;
    case 'unsafe-columns':
      return `Query "${p.query}": ignored column(s) ${p.columns.map((c) => JSON.stringify(c.slice(0, 80))).join(', ')} (a name through __proto__, prototype or constructor is never read)`;
    case 'no-series':
      return `Query "${p.query}": no labelled numeric series; expected ${p.metric} series`;
    case 'unlabelled-series':
      return `Query "${p.query}": ${p.missing} of ${p.total} series lack the label ${p.label}; they were skipped`;
    case 'unrecognised-frame':
      return `Query "${p.query}": frame not recognised (expected ${METRICS.nodeUp}/${METRICS.actorUp} series, flow rates, or Loki lines with contract JSON)`;
    case 'unreadable-frame':
      return `Query "${p.query}": could not be read (${p.error})`;
    case 'no-flows':
      return `No flows query (refId "${p.flowsRefId}"): edges and particles are not drawn`;
    case 'malformed-events':
      return `${p.count} malformed event lines skipped (first: ${p.first})`;
    case 'no-data': {
      const r = p.refIds;
      return `No data. Expected queries with refIds "${r.nodesRefId}" (${METRICS.nodeUp}), "${r.actorsRefId}" (${METRICS.actorUp}), "${r.flowsRefId}" (flow rates) and "${r.eventsRefId}" (Loki lifecycle events).`;
    }
    case 'no-topology': {
      const r = p.refIds;
      const what = p.malformed > 0 ? ` ${p.malformed} event lines were malformed (first: ${p.first}).` : '';
      return `Missing topology: no node/actor state (refIds "${r.nodesRefId}", "${r.actorsRefId}" with ${METRICS.nodeUp}/${METRICS.actorUp}) and no lifecycle events (refId "${r.eventsRefId}").${what}`;
    }
    case 'incomplete-keyframe':
      return incompleteKeyframe(p.keyframe);
    case 'emitter-stopped':
      return emitterStopped(p.stop);
    case 'stored-keyframe-incomplete': {
      const then =
        p.rebuiltFrom !== undefined
          ? `state rebuilt from the complete keyframe at ${iso(p.rebuiltFrom)} and the records after it`
          : 'no older complete keyframe of it was found';
      return `keyframe of ${p.emitter} at ${iso(p.time)} is incomplete (${p.present} of ${p.count} parts stored); ${then}`;
    }
    case 'no-complete-keyframe':
      return 'no complete keyframe stored in this span: entities that existed before it and did not change are not shown';
    case 'live-unread':
      return `live records not read: ${p.error}`;
    case 'millisecond-over-budget':
      return `more than ${p.limit} lines in one millisecond and the page budget ran out; some of them are not shown`;
    case 'millisecond-shared-seq':
      return `more than ${p.limit} lines in one millisecond that share a seq; the rest of that millisecond is not shown`;
    case 'pages-exhausted':
      return `not read: more than ${p.maxPages} pages of ${p.limit} lines`;
    case 'flows-not-shown':
      return `flow rates not shown: ${p.error}`;
    case 'coarser-flow-step':
      return `flow rates at a ${p.stepMs / 1000} s step instead of ${p.requestedMs / 1000} s: Prometheus refused the finer one (${p.refusal})`;
    case 'density-not-shown':
      return `event density not shown: ${p.error}`;
  }
}
