import { DataFrame } from '@grafana/data';
import { actorBody, actorUp, ev, flowRate, lokiFrame, nodeBody, nodeUp } from '../../src/fixtures/frames';

export const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
const MIN = 60_000;

export interface Scenario {
  from: number;
  to: number;
  series: DataFrame[];
  /** ids tests look at */
  info: Record<string, unknown>;
}

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += step) {
    out.push(t);
  }
  return out;
}

/** Small cluster: a node fails at 30 min, one joins at 20 min, an actor spawns late, one exits. */
export function basic(): Scenario {
  const from = T0;
  const to = T0 + 60 * MIN;
  const T = steps(from, to, MIN);
  const series: DataFrame[] = [
    nodeUp(
      'alpha',
      T,
      T.map(() => 1),
      { hmx_node_name: 'alpha <b>bold</b>' }
    ),
    nodeUp(
      'beta',
      T,
      T.map((t) => (t < from + 30 * MIN ? 1 : 0))
    ),
    nodeUp(
      'gamma',
      T,
      T.map((t) => (t < from + 20 * MIN ? null : 1)),
      { hmx_layer: 'kubernetes', hmx_node_kind: 'k3s' }
    ),
  ];
  const actors: Array<[string, string]> = [];
  for (let i = 0; i < 6; i++) {
    actors.push([`alpha-w${i}`, 'alpha']);
  }
  for (let i = 0; i < 4; i++) {
    actors.push([`beta-w${i}`, 'beta']);
  }
  for (const [id, node] of actors) {
    series.push(
      actorUp(
        id,
        node,
        T,
        T.map((t) => (id === 'alpha-w5' && t >= from + 10 * MIN ? 0 : 1))
      )
    );
  }
  for (let i = 0; i < 3; i++) {
    series.push(
      actorUp(
        `gamma-w${i}`,
        'gamma',
        T,
        T.map((t) => (t < from + 20 * MIN ? null : 1)),
        { hmx_actor_kind: 'router' }
      )
    );
  }
  const flow = (a: string, b: string, an: string, bn: string, r: number) =>
    series.push(
      flowRate(
        a,
        b,
        an,
        bn,
        T,
        T.map(() => r)
      )
    );
  flow('alpha-w0', 'beta-w0', 'alpha', 'beta', 50);
  flow('alpha-w1', 'alpha-w2', 'alpha', 'alpha', 5);
  flow('beta-w1', 'gamma-w0', 'beta', 'gamma', 500);
  flow('gamma-w1', 'alpha-w3', 'gamma', 'alpha', 1);
  series.push(
    lokiFrame('events', [
      ev('actor.spawned', from + 40 * MIN, actorBody('late-actor', 'alpha', 'scheduler')),
      ev('actor.restarted', from + 45 * MIN, { ...actorBody('alpha-w4', 'alpha'), restartCount: 3 }),
      ev('node.failed', from + 30 * MIN, nodeBody('beta')),
      ev('audit', from + 50 * MIN, {}),
      { time: from + 5 * MIN, line: '{"v":1,"type":' },
    ])
  );
  return {
    from,
    to,
    series,
    info: {
      runningActor: 'alpha-w0',
      lateActor: 'late-actor',
      failedNode: 'beta',
      healthyNode: 'alpha',
      lateNode: 'gamma',
      failAt: from + 30 * MIN,
      lateAt: from + 40 * MIN,
    },
  };
}

/** Deterministic pseudo-random numbers for generated worlds. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Large world: nodes × actorsPerNode actors, `edges` flows, samples every `stepMs` over [from, to]. */
export function large(
  nodes: number,
  actorsPerNode: number,
  edges: number,
  from: number,
  to: number,
  stepMs: number
): Scenario {
  const r = lcg(42);
  const T = steps(from, to, stepMs);
  const ones = T.map(() => 1);
  const series: DataFrame[] = [];
  for (let n = 0; n < nodes; n++) {
    series.push(
      nodeUp(`node-${n}`, T, n % 37 === 5 ? T.map((t, i) => (i > T.length / 2 ? 0 : 1)) : ones, {
        hmx_layer: ['hardware', 'kubernetes', 'akash', 'harmonix'][n % 4],
      })
    );
  }
  for (let n = 0; n < nodes; n++) {
    for (let a = 0; a < actorsPerNode; a++) {
      series.push(
        actorUp(`actor-${n}-${a}`, `node-${n}`, T, ones, { hmx_actor_kind: ['worker', 'router', 'store'][a % 3] })
      );
    }
  }
  for (let e = 0; e < edges; e++) {
    const an = Math.floor(r() * nodes);
    const bn = r() < 0.6 ? an : Math.floor(r() * nodes);
    const a = `actor-${an}-${Math.floor(r() * actorsPerNode)}`;
    const b = `actor-${bn}-${Math.floor(r() * actorsPerNode)}`;
    const rate = Math.pow(10, r() * 3);
    series.push(
      flowRate(
        a,
        b,
        `node-${an}`,
        `node-${bn}`,
        T,
        T.map(() => rate)
      )
    );
  }
  return { from, to, series, info: { nodes, actors: nodes * actorsPerNode, edges } };
}
