import { Target } from '../model/describe';
import { EDGE_TOLERANCE_PX, nearestEdge } from '../model/edgeHit';
import { detailLevel } from '../model/lod';
import { Scene } from '../model/scene';
import { EdgeMode } from './edges';
import { LOOK } from './presence';
import { View, toWorld } from './view';

/** The shown thing under screen point (sx, sy): an actor, else the nearest drawn edge, else a node. */
export function pickAt(
  scene: Scene,
  look: Uint8Array,
  v: View,
  edgeMode: EdgeMode | undefined,
  sx: number,
  sy: number
): Target | undefined {
  const reg = scene.index.registry;
  const [wx, wy] = toWorld(v, sx, sy);
  const nodeLevel = detailLevel(v.scale) === 'nodes';
  // the edges that are drawn: node pairs when zoomed out or when actor links are summed
  const nodeEdges = nodeLevel || edgeMode === 'mixed' || edgeMode === 'node';
  const hit = scene.hit.at(wx, wy);
  const actorIdx = hit.actor !== undefined ? reg.actorIndex(hit.actor) : undefined;
  if (!nodeLevel && actorIdx !== undefined && look[actorIdx] !== LOOK.HIDDEN) {
    return { entity: actorIdx };
  }
  const edge = nearestEdge(scene, look, nodeEdges, wx, wy, EDGE_TOLERANCE_PX / v.scale);
  if (edge !== undefined) {
    return nodeEdges ? { nodeEdge: edge } : { edge };
  }
  const nodeIdx = hit.node !== undefined ? reg.nodeIndex(hit.node) : undefined;
  if (nodeIdx !== undefined && look[nodeIdx] !== LOOK.HIDDEN) {
    return { entity: nodeIdx };
  }
  return undefined;
}
