import { ActorEntity } from './contract';
import { OP, STATUS, StateArrays } from './ops';
import { Scene } from './scene';
import { actorTraceQuery, edgeTraceQuery, lifecycleLogQuery, lokiLink, tempoLink } from './explore';
import { PanelOptions } from '../types';

/** What the pointer or the keyboard points at: an entity, an actor edge or a node-pair edge. */
export interface Target {
  entity?: number;
  edge?: number;
  nodeEdge?: number;
}

/** The state text is read from: the index's state at t and the edge rates at t. */
export interface Shown {
  state: StateArrays;
  rates: Float64Array;
  nodeRates: Float64Array;
}

export interface Description {
  title: string;
  summary: string;
  rows: Array<{ label: string; value: string }>;
  links: Array<{ title: string; href: string; icon: 'gf-traces' | 'gf-logs' }>;
}

export function fmtRate(r: number): string {
  return r >= 100 ? `${r.toFixed(0)}/s` : r >= 1 ? `${r.toFixed(1)}/s` : `${r.toFixed(2)}/s`;
}

function statusText(kind: 'node' | 'actor', st: number, lastOp: number): string {
  if (st === STATUS.ABSENT) {
    return kind === 'node' ? 'unknown' : lastOp === OP.ACTOR_REMOVED ? 'gone (its node left)' : 'not started';
  }
  if (st === STATUS.UNKNOWN) {
    return lastOp === OP.EMITTER_LOST
      ? 'unknown (the collector reporting it stopped; nothing heard since)'
      : 'unknown (its node failed; no record of its fate since)';
  }
  if (kind === 'node') {
    return st === STATUS.UP
      ? lastOp === OP.NODE_RECOVERED
        ? 'up (recovered)'
        : 'up'
      : st === STATUS.DOWN
        ? 'failed'
        : 'left';
  }
  return st === STATUS.UP ? (lastOp === OP.ACTOR_RESTARTED ? 'running (restarted)' : 'running') : 'exited';
}

function describeEntity(
  scene: Scene,
  state: StateArrays,
  rates: Float64Array,
  i: number,
  t: number,
  o: PanelOptions
): Description {
  const reg = scene.index.registry;
  const e = reg.info[i];
  const kind = reg.kinds[i];
  const e2 = scene.edges;
  let inRate = 0;
  let outRate = 0;
  let inCount = 0;
  let outCount = 0;
  let actors = 0;
  for (let k = 0; k < e2.size; k++) {
    const src = kind === 'node' ? e2.fromNode[k] : e2.from[k];
    const dst = kind === 'node' ? e2.toNode[k] : e2.to[k];
    if (src === i && dst !== i) {
      outRate += rates[k];
      outCount++;
    }
    if (dst === i && src !== i) {
      inRate += rates[k];
      inCount++;
    }
  }
  if (kind === 'node') {
    for (let k = 0; k < reg.size; k++) {
      if (reg.kinds[k] === 'actor' && (reg.info[k] as ActorEntity).node === e.id && state.status[k] === STATUS.UP) {
        actors++;
      }
    }
  }
  const status = statusText(kind, state.status[i], state.lastOp[i]);
  const rows = [
    { label: 'Kind', value: `${kind} · ${e.kind}` },
    { label: 'Layer', value: e.layer },
    { label: 'Id', value: e.id },
    { label: 'Status', value: status },
  ];
  if (kind === 'actor') {
    rows.push(
      { label: 'Node', value: (e as ActorEntity).node },
      { label: 'Restarts', value: String(state.restarts[i]) }
    );
  } else {
    rows.push({ label: 'Running actors', value: String(actors) });
  }
  rows.push(
    { label: 'In', value: `${fmtRate(inRate)} (${inCount} edges)` },
    { label: 'Out', value: `${fmtRate(outRate)} (${outCount} edges)` }
  );
  const links: Description['links'] = [];
  if (kind === 'actor') {
    links.push({
      title: 'Traces',
      href: tempoLink(o.tempoUid, actorTraceQuery(o.traceAttribute, e.id), t),
      icon: 'gf-traces',
    });
  }
  links.push({
    title: 'Lifecycle logs',
    href: lokiLink(o.lokiUid, lifecycleLogQuery(o.lokiSelector, kind, e.id), t),
    icon: 'gf-logs',
  });
  return {
    title: e.name,
    summary:
      `${kind} ${e.name}, ${status}` +
      (kind === 'node' ? `, ${actors} running actors` : `, restarts ${state.restarts[i]}`) +
      `, in ${fmtRate(inRate)}, out ${fmtRate(outRate)}`,
    rows,
    links,
  };
}

function describeEdge(scene: Scene, rates: Float64Array, k: number, t: number, o: PanelOptions): Description {
  const reg = scene.index.registry;
  const from = reg.info[scene.edges.from[k]];
  const to = reg.info[scene.edges.to[k]];
  return {
    title: `${from.name} → ${to.name}`,
    summary: `flow ${from.name} to ${to.name}, ${fmtRate(rates[k])}`,
    rows: [
      { label: 'From', value: from.id },
      { label: 'To', value: to.id },
      { label: 'Rate', value: fmtRate(rates[k]) },
    ],
    links: [
      {
        title: 'Traces',
        href: tempoLink(o.tempoUid, edgeTraceQuery(o.traceAttribute, from.id, to.id), t),
        icon: 'gf-traces',
      },
    ],
  };
}

/** Node-level (aggregated) edge: a title only, for hover when zoomed out. */
function describeNodeEdge(scene: Scene, nodeRates: Float64Array, k: number): Description {
  const reg = scene.index.registry;
  const title = `${reg.info[scene.edges.nodeFrom[k]].name} → ${reg.info[scene.edges.nodeTo[k]].name}: ${fmtRate(nodeRates[k])}`;
  return { title, rows: [], links: [], summary: '' };
}

/** The one text of what is pointed at, for the tooltip, the details card, the keyboard announcer and Explore links. */
export function describeTarget(
  scene: Scene,
  shown: Shown,
  target: Target,
  t: number,
  o: PanelOptions
): Description | undefined {
  if (target.entity !== undefined) {
    return describeEntity(scene, shown.state, shown.rates, target.entity, t, o);
  }
  if (target.edge !== undefined) {
    return describeEdge(scene, shown.rates, target.edge, t, o);
  }
  if (target.nodeEdge !== undefined) {
    return describeNodeEdge(scene, shown.nodeRates, target.nodeEdge);
  }
  return undefined;
}
