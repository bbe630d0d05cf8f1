import { DataFrame } from '@grafana/data';
import { ActorEntity } from './contract';
import { EdgeSet } from './edges';
import { MappedData, StateSeries, mapFramesSteps } from './frames';
import { HitIndex, Layout, layoutSteps } from './layout';
import { Steps, finish } from './steps';
import { TimelineIndex } from './timeline';
import { PanelOptions } from '../types';

export interface Scene {
  mapped: MappedData;
  index: TimelineIndex;
  layout: Layout;
  hit: HitIndex;
  edges: EdgeSet;
  from: number;
  to: number;
  /** entity index -> world position (actors: centre; nodes: box origin) */
  px: Float32Array;
  py: Float32Array;
}

export const EXTERNAL_NODE = '(external)';

/** Flow endpoints that are not known actors (e.g. servicegraph services) become actors that run
 * while their flow series has samples, placed on an "(external)" node. */
function endpointSeries(mapped: MappedData): Array<StateSeries<ActorEntity>> {
  const known = new Set<string>();
  for (const a of mapped.actors) {
    known.add(a.entity.id);
  }
  for (const e of mapped.events) {
    if (e.type === 'keyframe') {
      e.actors.forEach((a) => known.add(a.id));
    } else if (e.actor) {
      known.add(e.actor.id);
    }
  }
  const extra = new Map<string, StateSeries<ActorEntity>>();
  for (const f of mapped.flows) {
    for (const [id, node] of [
      [f.from, f.fromNode],
      [f.to, f.toNode],
    ] as const) {
      if (known.has(id) || extra.has(id) || f.times.length === 0) {
        continue;
      }
      const entity: ActorEntity = {
        id,
        name: id,
        kind: f.source === 'servicegraph' ? 'service' : 'unknown',
        layer: 'mesh',
        node: node ?? EXTERNAL_NODE,
      };
      extra.set(id, { entity, times: [f.times[0]], values: [1] });
    }
  }
  return [...extra.values()];
}

export function buildScene(
  series: DataFrame[] | undefined,
  options: PanelOptions,
  from: number,
  to: number,
  prev?: Layout
): Scene {
  return finish(sceneSteps(series, options, from, to, prev));
}

/** buildScene in steps (a sliced build pauses between them): the lines a few at a time, then the timeline index,
 * the layout, the edges. */
export function* sceneSteps(
  series: DataFrame[] | undefined,
  options: PanelOptions,
  from: number,
  to: number,
  prev?: Layout
): Steps<Scene> {
  const mapped = yield* mapFramesSteps(series, options);
  const index = yield* TimelineIndex.steps({
    events: mapped.events,
    nodes: mapped.nodes,
    actors: [...mapped.actors, ...endpointSeries(mapped)],
    rangeFrom: from,
    rangeTo: to,
    heads: mapped.heads,
  });
  mapped.problems.push(
    ...index.incompleteKeyframes.map((keyframe) => ({ kind: 'incomplete-keyframe' as const, keyframe }))
  );
  mapped.problems.push(
    ...index.stops.filter((st) => st.entities > 0).map((stop) => ({ kind: 'emitter-stopped' as const, stop }))
  );
  yield;
  const reg = index.registry;
  const layout = yield* layoutSteps(reg.nodes(), reg.actors(), prev);
  yield;
  const px = new Float32Array(reg.size);
  const py = new Float32Array(reg.size);
  for (let i = 0; i < reg.size; i++) {
    const id = reg.info[i].id;
    const p = reg.kinds[i] === 'node' ? layout.nodes.get(id) : layout.actors.get(id);
    px[i] = p?.x ?? 0;
    py[i] = p?.y ?? 0;
  }
  const hit = new HitIndex(layout);
  yield;
  return { mapped, index, layout, hit, edges: new EdgeSet(mapped.flows, reg), from, to, px, py };
}
