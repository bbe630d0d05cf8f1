import { Problem, formatProblem } from './problems';
import { defaultOptions } from '../types';

const refIds = { nodesRefId: 'nodes', actorsRefId: 'actors', flowsRefId: 'flows', eventsRefId: 'events' };
const T = Date.UTC(2026, 0, 2, 3, 4, 5);

// every kind once, with the words the panel shows for it
const cases: Array<[Problem, string]> = [
  [
    { kind: 'no-event-columns', query: 'E' },
    'Query "E": no "Line" field with event JSON and no "type" column, so no lifecycle events were read',
  ],
  [
    { kind: 'unsafe-columns', query: 'E', columns: ['__proto__.x', 'a'.repeat(90)] },
    `Query "E": ignored column(s) "__proto__.x", "${'a'.repeat(80)}" (a name through __proto__, prototype or constructor is never read)`,
  ],
  [
    { kind: 'no-series', query: 'N', metric: 'hmx_node_up' },
    'Query "N": no labelled numeric series; expected hmx_node_up series',
  ],
  [
    { kind: 'unlabelled-series', query: 'N', missing: 2, total: 5, label: 'hmx_node_id' },
    'Query "N": 2 of 5 series lack the label hmx_node_id; they were skipped',
  ],
  [
    { kind: 'unrecognised-frame', query: 'Z' },
    'Query "Z": frame not recognised (expected hmx_node_up/hmx_actor_up series, flow rates, or Loki lines with contract JSON)',
  ],
  [{ kind: 'unreadable-frame', query: 'Z', error: 'boom' }, 'Query "Z": could not be read (boom)'],
  [{ kind: 'no-flows', flowsRefId: 'F' }, 'No flows query (refId "F"): edges and particles are not drawn'],
  [
    { kind: 'malformed-events', count: 3, first: 'log line is not valid JSON' },
    '3 malformed event lines skipped (first: log line is not valid JSON)',
  ],
  [
    { kind: 'no-data', refIds },
    'No data. Expected queries with refIds "nodes" (hmx_node_up), "actors" (hmx_actor_up), "flows" (flow rates) and "events" (Loki lifecycle events).',
  ],
  [
    { kind: 'no-topology', refIds, malformed: 0 },
    'Missing topology: no node/actor state (refIds "nodes", "actors" with hmx_node_up/hmx_actor_up) and no lifecycle events (refId "events").',
  ],
  [
    { kind: 'no-topology', refIds, malformed: 2, first: 'bad' },
    'Missing topology: no node/actor state (refIds "nodes", "actors" with hmx_node_up/hmx_actor_up) and no lifecycle events (refId "events"). 2 event lines were malformed (first: bad).',
  ],
  [
    { kind: 'incomplete-keyframe', keyframe: { emitter: 'c', id: 'k1', time: T, count: 3, received: 2 } },
    'Keyframe k1 at 2026-01-02T03:04:05.000Z is incomplete (2 of 3 parts received); it was not applied, so the state over 2026-01-02T03:04:05.000Z – the end of the data comes from earlier keyframes and the lifecycle records alone',
  ],
  [
    {
      kind: 'incomplete-keyframe',
      keyframe: {
        emitter: 'c',
        id: 'k1',
        time: T,
        count: 3,
        received: 3,
        until: T + 60_000,
        conflict: 'parts disagree',
      },
    },
    'Keyframe k1 at 2026-01-02T03:04:05.000Z is incomplete (parts disagree); it was not applied, so the state over 2026-01-02T03:04:05.000Z – 2026-01-02T03:05:05.000Z comes from earlier keyframes and the lifecycle records alone',
  ],
  [
    {
      kind: 'emitter-stopped',
      stop: { group: 'collector@h', heard: T, at: T + 180_000, intervalMs: 60_000, until: T + 600_000, entities: 4 },
    },
    'collector@h not heard since 2026-01-02T03:04:05.000Z (3 keyframe intervals of 60 s): its 4 entities are shown as unknown from 2026-01-02T03:07:05.000Z; heard again at 2026-01-02T03:14:05.000Z, its entities stay unknown until a record says otherwise',
  ],
  [
    { kind: 'stored-keyframe-incomplete', emitter: 'c@h', time: T, present: 3, count: 4, rebuiltFrom: T - 600_000 },
    'keyframe of c@h at 2026-01-02T03:04:05.000Z is incomplete (3 of 4 parts stored); state rebuilt from the complete keyframe at 2026-01-02T02:54:05.000Z and the records after it',
  ],
  [
    { kind: 'stored-keyframe-incomplete', emitter: 'c@h', time: T, present: 1, count: 2 },
    'keyframe of c@h at 2026-01-02T03:04:05.000Z is incomplete (1 of 2 parts stored); no older complete keyframe of it was found',
  ],
  [
    { kind: 'no-complete-keyframe' },
    'no complete keyframe stored in this span: entities that existed before it and did not change are not shown',
  ],
  [{ kind: 'live-unread', error: 'HTTP 502' }, 'live records not read: HTTP 502'],
  [
    { kind: 'millisecond-over-budget', limit: 5000 },
    'more than 5000 lines in one millisecond and the page budget ran out; some of them are not shown',
  ],
  [
    { kind: 'millisecond-shared-seq', limit: 5000 },
    'more than 5000 lines in one millisecond that share a seq; the rest of that millisecond is not shown',
  ],
  [{ kind: 'pages-exhausted', maxPages: 40, limit: 5000 }, 'not read: more than 40 pages of 5000 lines'],
  [{ kind: 'flows-not-shown', error: 'timeout' }, 'flow rates not shown: timeout'],
  [
    { kind: 'coarser-flow-step', stepMs: 60_000, requestedMs: 15_000, refusal: 'exceeded maximum resolution' },
    'flow rates at a 60 s step instead of 15 s: Prometheus refused the finer one (exceeded maximum resolution)',
  ],
  [{ kind: 'density-not-shown', error: 'too many series' }, 'event density not shown: too many series'],
];

describe('formatProblem', () => {
  it.each(cases)('%j', (p, text) => {
    expect(formatProblem(p)).toBe(text);
  });

  it('covers every kind of problem', () => {
    // a kind added to Problem fails the typecheck here until it is listed, and then this test until it has a case
    const every: Record<Problem['kind'], true> = {
      'no-event-columns': true,
      'unsafe-columns': true,
      'no-series': true,
      'unlabelled-series': true,
      'unrecognised-frame': true,
      'unreadable-frame': true,
      'no-flows': true,
      'malformed-events': true,
      'no-data': true,
      'no-topology': true,
      'incomplete-keyframe': true,
      'emitter-stopped': true,
      'stored-keyframe-incomplete': true,
      'no-complete-keyframe': true,
      'live-unread': true,
      'millisecond-over-budget': true,
      'millisecond-shared-seq': true,
      'pages-exhausted': true,
      'flows-not-shown': true,
      'coarser-flow-step': true,
      'density-not-shown': true,
    };
    expect([...new Set(cases.map(([p]) => p.kind))].sort()).toEqual(Object.keys(every).sort());
  });

  it('names the refIds the options give', () => {
    const text = formatProblem({ kind: 'no-data', refIds: { ...defaultOptions, nodesRefId: 'N' } });
    expect(text).toContain('"N" (hmx_node_up)');
  });
});
