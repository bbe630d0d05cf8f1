import { FieldType, createDataFrame } from '@grafana/data';
import { mapFrames } from './frames';
import { defaultOptions } from '../types';
import { actorBody, actorUp, ev, flowRate, lokiFrame, nodeBody, nodeUp, promFrame } from '../fixtures/frames';
import { formatProblem } from './problems';

const T = [0, 15000, 30000];

describe('mapFrames', () => {
  it('maps Prometheus state, flows and Loki events by refId', () => {
    const m = mapFrames(
      [
        nodeUp('n1', T, [1, 1, 0]),
        actorUp('a1', 'n1', T, [1, 1, 1]),
        flowRate('a1', 'a2', 'n1', 'n2', T, [2, 3, 4]),
        lokiFrame('events', [ev('actor.spawned', 1000, actorBody('a2', 'n2'))]),
      ],
      defaultOptions
    );
    expect(m.blocking).toBeUndefined();
    expect(m.nodes).toHaveLength(1);
    expect(m.nodes[0].entity).toEqual({ id: 'n1', name: 'n1', kind: 'host', layer: 'hardware' });
    expect(m.nodes[0].values).toEqual([1, 1, 0]);
    expect(m.actors[0].entity.node).toBe('n1');
    expect(m.flows[0]).toMatchObject({
      from: 'a1',
      to: 'a2',
      fromNode: 'n1',
      toNode: 'n2',
      source: 'hmx',
      rates: [2, 3, 4],
    });
    expect(m.events).toHaveLength(1);
    expect(m.events[0]).toMatchObject({ type: 'actor.spawned', time: 1000 });
    expect(m.problems).toEqual([]);
  });

  it('detects roles by labels and fields when refIds differ', () => {
    const frames = [
      { ...nodeUp('n1', T, [1, 1, 1]), refId: 'A' },
      { ...actorUp('a1', 'n1', T, [1, 1, 1]), refId: 'B' },
      { ...flowRate('a1', 'a1', 'n1', 'n1', T, [1, 1, 1]), refId: 'C' },
      { ...lokiFrame('D', [ev('node.joined', 5, nodeBody('n2'))]) },
    ];
    const m = mapFrames(frames, defaultOptions);
    expect(m.found).toEqual({ nodes: true, actors: true, flows: true, events: true });
  });

  it('reads servicegraph client/server series and converts raw counters to rates', () => {
    const sg = promFrame(
      'flows',
      { __name__: 'traces_service_graph_request_total', client: 'web', server: 'db' },
      [0, 10000, 20000],
      [100, 150, 10]
    );
    const m = mapFrames([sg, nodeUp('n1', T, [1, 1, 1])], defaultOptions);
    expect(m.flows[0]).toMatchObject({ from: 'web', to: 'db', source: 'servicegraph' });
    expect(m.flows[0].rates).toEqual([0, 5, 1]);
  });

  it('reads events from a table frame with contract fields', () => {
    const table = createDataFrame({
      refId: 'events',
      fields: [
        { name: 'time', type: FieldType.time, values: [1000, 2000] },
        { name: 'type', type: FieldType.string, values: ['node.joined', 'node.failed'] },
        { name: 'node.id', type: FieldType.string, values: ['n1', 'n1'] },
        { name: 'node.layer', type: FieldType.string, values: ['hardware', 'hardware'] },
      ],
    });
    const m = mapFrames([table], defaultOptions);
    expect(m.events.map((e) => e.type)).toEqual(['node.joined', 'node.failed']);
    expect(m.events[0].time).toBe(1000);
  });

  it('never writes a prototype from a table column name, and says which columns it ignored', () => {
    const table = createDataFrame({
      refId: 'events',
      fields: [
        { name: 'time', type: FieldType.time, values: [1000] },
        { name: 'type', type: FieldType.string, values: ['node.joined'] },
        { name: 'node', type: FieldType.string, values: ['{"id":"n1","layer":"hardware"}'] },
        { name: '__proto__.polluted', type: FieldType.string, values: ['yes'] },
        { name: 'node.__proto__.polluted', type: FieldType.string, values: ['yes'] },
        { name: 'constructor.prototype.polluted', type: FieldType.string, values: ['yes'] },
      ],
    });
    const m = mapFrames([table], defaultOptions);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(m.events.map((e) => e.type)).toEqual(['node.joined']);
    expect(
      m.problems
        .map(formatProblem)
        .some((p) => p.includes('"__proto__.polluted"') && p.includes('"node.__proto__.polluted"'))
    ).toBe(true);
  });

  it('counts and skips malformed event lines, naming the first problem', () => {
    const m = mapFrames(
      [
        lokiFrame('events', [
          { time: 1, line: 'not json' },
          { time: 2, line: '{"v":1,"type":"actor.spawned","time":"2026-01-01T00:00:00.000Z","actor":{"id":"x"}}' },
          ev('node.joined', 3, nodeBody('n1')),
        ]),
      ],
      defaultOptions
    );
    expect(m.events).toHaveLength(1);
    expect(m.malformedEvents).toBe(2);
    expect(m.malformedExample).toBe('log line is not valid JSON');
    expect(m.problems.map(formatProblem).join('\n')).toContain('2 malformed event lines skipped');
    expect(m.blocking).toBeUndefined();
  });

  it('turns contract flow samples in the events stream into rates when there is no flows query', () => {
    const flow = (t: number, messages: number) => ({
      time: t,
      line: JSON.stringify({
        v: 1,
        type: 'flow',
        time: new Date(t).toISOString(),
        emitter: 'e',
        seq: t,
        from: 'a',
        to: 'b',
        messages,
        bytes: 0,
      }),
    });
    const m = mapFrames(
      [lokiFrame('events', [flow(0, 5), flow(10_000, 50), flow(20_000, 100), ev('node.joined', 0, nodeBody('n'))])],
      defaultOptions
    );
    expect(m.malformedEvents).toBe(0);
    expect(m.flows).toEqual([{ from: 'a', to: 'b', source: 'hmx', times: [10_000, 20_000], rates: [5, 10] }]);
    expect(m.found.flows).toBe(true);
  });

  it('blocks with a specific message on empty data', () => {
    expect(formatProblem(mapFrames([], defaultOptions).blocking!)).toMatch(/No data.*"nodes".*hmx_node_up/);
    expect(formatProblem(mapFrames(undefined, defaultOptions).blocking!)).toMatch(/No data/);
  });

  it('names missing labels on partial frames and never throws', () => {
    const bad = promFrame('nodes', { instance: 'x' }, T, [1, 1, 1]);
    const m = mapFrames([bad, actorUp('a1', 'n1', T, [1, 1, 1])], defaultOptions);
    expect(m.problems.map(formatProblem).join('\n')).toContain(
      'Query "nodes": 1 of 1 series lack the label hmx_node_id'
    );
    expect(m.blocking).toBeUndefined();
  });

  it('reports unrecognised frames and blocks when nothing usable is present', () => {
    const odd = createDataFrame({ refId: 'Z', fields: [{ name: 'x', type: FieldType.number, values: [1] }] });
    const m = mapFrames([odd], defaultOptions);
    expect(formatProblem(m.problems[0])).toContain('Query "Z": frame not recognised');
    expect(formatProblem(m.blocking!)).toMatch(/Missing topology/);
  });

  it('survives garbage field values', () => {
    const weird = createDataFrame({
      refId: 'nodes',
      fields: [
        { name: 'Time', type: FieldType.time, values: [null, 'x', 5] },
        { name: 'Value', type: FieldType.number, values: ['a', undefined, NaN], labels: { hmx_node_id: 'n' } },
      ],
    });
    const m = mapFrames([weird], defaultOptions);
    expect(m.nodes[0].values).toEqual([null, null, null]);
  });
});
