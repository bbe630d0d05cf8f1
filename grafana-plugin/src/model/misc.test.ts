import { EdgeSet } from './edges';
import { EntityRegistry } from './entities';
import { actorTraceQuery, edgeTraceQuery, lifecycleLogQuery, lokiLink, tempoLink } from './explore';
import { visibilityMask } from './filter';
import { detailLevel, edgeWidth, particleCount, particleSpeed } from './lod';
import { defaultOptions, withDefaults } from '../types';

function registry() {
  const r = new EntityRegistry();
  r.node({ id: 'n1', kind: 'host', layer: 'hardware', name: 'alpha' });
  r.node({ id: 'n2', kind: 'pod', layer: 'kubernetes', name: 'beta' });
  r.actor({ id: 'a1', kind: 'router', layer: 'harmonix', name: 'router-1', node: 'n1' });
  r.actor({ id: 'a2', kind: 'worker', layer: 'harmonix', name: 'worker-1', node: 'n1' });
  r.actor({ id: 'a3', kind: 'worker', layer: 'harmonix', name: 'worker-2', node: 'n2' });
  return r;
}

describe('EdgeSet', () => {
  it('aggregates actor edges into node edges and drops intra-node edges', () => {
    const reg = registry();
    const f = (from: string, to: string, rates: number[]) => ({
      from,
      to,
      source: 'hmx' as const,
      times: [0, 10_000],
      rates,
    });
    const e = new EdgeSet(
      [f('a1', 'a3', [1, 2]), f('a2', 'a3', [3, 4]), f('a1', 'a2', [5, 6]), f('a1', 'zz', [1, 1])],
      reg
    );
    expect(e.size).toBe(3);
    expect(e.nodeFrom.length).toBe(1);
    const rates = e.ratesAt(10_000, new Float64Array(e.size));
    expect([...rates]).toEqual([2, 4, 6]);
    expect([...e.aggregate(rates, new Float64Array(1))]).toEqual([6]);
    expect([...e.ratesAt(-1, new Float64Array(3))]).toEqual([0, 0, 0]);
    expect(e.ratesAt(10_000 + 10 * 60_000, new Float64Array(3))[0]).toBe(0);
  });
});

describe('visibilityMask', () => {
  it('filters by layer, node, actor kind and search', () => {
    const reg = registry();
    const ids = (m: Uint8Array) => reg.info.filter((_, i) => m[i]).map((e) => e.id);
    expect(ids(visibilityMask(reg, { layers: [], nodes: [], actorKinds: [], search: '' }))).toEqual([
      'n1',
      'n2',
      'a1',
      'a2',
      'a3',
    ]);
    expect(ids(visibilityMask(reg, { layers: ['kubernetes'], nodes: [], actorKinds: [], search: '' }))).toEqual([
      'n2',
      'a3',
    ]);
    expect(ids(visibilityMask(reg, { layers: [], nodes: ['n1'], actorKinds: [], search: '' }))).toEqual([
      'n1',
      'a1',
      'a2',
    ]);
    expect(ids(visibilityMask(reg, { layers: [], nodes: [], actorKinds: ['router'], search: '' }))).toEqual([
      'n1',
      'a1',
    ]);
    expect(ids(visibilityMask(reg, { layers: [], nodes: [], actorKinds: [], search: 'WORKER-2' }))).toEqual([
      'n2',
      'a3',
    ]);
    expect(ids(visibilityMask(reg, { layers: [], nodes: [], actorKinds: [], search: 'beta' }))).toEqual(['n2', 'a3']);
  });
});

describe('level of detail', () => {
  it('switches from node view to actors to labels as the zoom grows', () => {
    expect(detailLevel(0.1)).toBe('nodes');
    expect(detailLevel(1)).toBe('actors');
    expect(detailLevel(2)).toBe('actors');
    expect(detailLevel(3)).toBe('labels');
  });
  it('particle count, speed and width grow with the rate and are bounded', () => {
    expect(particleCount(0)).toBe(0);
    expect(particleCount(10)).toBeLessThan(particleCount(1000));
    expect(particleCount(1e9)).toBe(6);
    expect(particleSpeed(1)).toBeLessThan(particleSpeed(100));
    expect(particleSpeed(1e12)).toBe(1.5);
    expect(edgeWidth(1e12)).toBe(8);
    expect(edgeWidth(NaN)).toBe(0.5);
  });
});

describe('explore links', () => {
  it('quotes untrusted ids in TraceQL and LogQL', () => {
    const id = 'a"} || { true';
    expect(actorTraceQuery('span.hmx.actor.id', id)).toBe('{ span.hmx.actor.id = "a\\"} || { true" }');
    expect(edgeTraceQuery('span.x', 'a', 'b')).toBe('{ span.x = "a" && span.messaging.destination.name = "b" }');
    expect(lifecycleLogQuery('{job="x"}', 'actor', 'a"1')).toBe('{job="x"} | hmx_actor_id = "a\\"1"');
  });
  it('builds Explore URLs with datasource uid and a range around the playhead', () => {
    const u = new URL(tempoLink('tempo', '{ }', 1_000_000), 'http://g');
    expect(u.pathname).toBe('/explore');
    const panes = JSON.parse(u.searchParams.get('panes')!);
    expect(panes.a.datasource).toBe('tempo');
    expect(panes.a.queries[0]).toMatchObject({
      queryType: 'traceql',
      query: '{ }',
      datasource: { type: 'tempo', uid: 'tempo' },
    });
    expect(panes.a.range).toEqual({ from: '700000', to: '1300000' });
    const l = JSON.parse(new URL(lokiLink('loki', '{a="b"}', 0), 'http://g').searchParams.get('panes')!);
    expect(l.a.queries[0].expr).toBe('{a="b"}');
  });
});

describe('options', () => {
  it('fills defaults matching the provisioned dashboard and ignores wrong types', () => {
    expect(withDefaults(undefined)).toEqual(defaultOptions);
    const o = withDefaults({ nodesRefId: 'N', ghostSeconds: 'x' as unknown as number });
    expect(o.nodesRefId).toBe('N');
    expect(o.ghostSeconds).toBe(60);
    expect(defaultOptions).toMatchObject({
      nodesRefId: 'nodes',
      actorsRefId: 'actors',
      flowsRefId: 'flows',
      eventsRefId: 'events',
      tempoUid: 'tempo',
      lokiUid: 'loki',
    });
  });
});
