// Entity names of the demo mesh: node `mesh:<name>` (kind mesh-node), actor `mesh:<node>/<actor>`, layer `mesh`.
import type { ActorRef, NodeRef } from '@harmonix/contract';

export type ActorKind = 'router' | 'worker';

export function meshNode(name: string): NodeRef {
  return { id: `mesh:${name}`, kind: 'mesh-node', layer: 'mesh', name };
}

export function meshActor(node: string, name: string, kind: ActorKind): ActorRef {
  return { id: `mesh:${node}/${name}`, kind, layer: 'mesh', name, node: `mesh:${node}` };
}

export function nodeName(index: number): string {
  return `node-${index + 1}`;
}

/** The actors every demo node hosts: one router, the rest workers. */
export function actorsOf(node: string, count: number): ActorRef[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? meshActor(node, 'router', 'router') : meshActor(node, `worker-${i}`, 'worker')));
}
