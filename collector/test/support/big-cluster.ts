// A topology the size issue 13 names, for keyframe tests: built by applying real contract records to a TopologyState.
import type { ContractRecord } from '@harmonix/contract';
import { TopologyState } from '../../src/topology/state.js';
import { rng } from '../../src/core/random.js';

/**
 * A cluster the size issue 13 names: 100 nodes, 10,000 actors (pod-like ids, some non-ASCII names), 20,000 flow edges,
 * one failed node (its running actors unknown). Applied to `state` (a new one by default).
 */
export function bigCluster(nodes = 100, actors = 10_000, flows = 20_000, state = new TopologyState({ maxExitedActors: 100_000 })): TopologyState {
  const rand = rng(13);
  let seq = 0;
  let t = Date.UTC(2030, 0, 1);
  const rec = (r: Record<string, unknown>, emitter = 'kubernetes@node-a/4242-1700000000000'): ContractRecord => {
    t += 7;
    return { v: 1, time: new Date(t).toISOString(), emitter, seq: ++seq, ...r } as ContractRecord;
  };
  const nodeId = (i: number) => `k8s-node:worker-${String(i).padStart(3, '0')}.eu-west-1.compute.internal`;
  for (let i = 0; i < nodes; i++) {
    state.apply(rec({ type: 'node.joined', node: { id: nodeId(i), kind: 'k8s-node', layer: 'kubernetes', name: `worker-${i}.eu-west-1.compute.internal` } }));
  }
  const actorId = (i: number) => `k8s-pod:tenant-${i % 37}/deployment-${i % 211}-7f9c8d${(i * 7919).toString(36)}-x${i.toString(36)}`;
  for (let i = 0; i < actors; i++) {
    const node = nodeId(i % nodes);
    const name = i % 10 === 0 ? `überwachung-ζ-${i}-探针` : `deployment-${i % 211}-7f9c8d-${i}`;
    const actor = { id: actorId(i), kind: 'pod', layer: 'kubernetes', name, node };
    state.apply(rec({ type: 'actor.spawned', actor }));
    if (i % 9 === 0) state.apply(rec({ type: 'actor.restarted', actor, restartCount: 1 + Math.floor(rand() * 40) }));
    if (i % 23 === 0) state.apply(rec({ type: 'actor.exited', actor, reason: 'OOMKilled', exitCode: 137 }));
  }
  state.apply(rec({ type: 'node.failed', node: { id: nodeId(7), kind: 'k8s-node', layer: 'kubernetes', name: 'worker-7' } }));
  for (let i = 0; i < flows; i++) {
    const from = actorId(Math.floor(rand() * actors));
    const to = actorId((i * 31 + 17) % actors);
    state.apply(
      rec({ type: 'flow', from, to, messages: Math.floor(rand() * 1e6), bytes: Math.floor(rand() * 1e9) }, `mesh-sdk/${100 + (i % 20)}-1700000000000`),
    );
  }
  return state;
}
