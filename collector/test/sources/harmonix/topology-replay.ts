// Replays a source's records onto a topology that already has the host node: each must be a legal transition.
import assert from 'node:assert/strict';
import type { ContractRecord } from '@harmonix/contract';
import { TopologyState } from '../../../src/topology/state.js';

export function replayOnHost(records: readonly ContractRecord[], hostId: string): TopologyState {
  const state = new TopologyState();
  state.apply({
    v: 1,
    type: 'node.joined',
    time: '2025-11-11T00:00:00Z',
    emitter: 'os',
    seq: 1,
    node: { id: hostId, kind: 'host', layer: 'os', name: hostId },
  });
  for (const rec of records) assert.equal(state.apply(rec).applied, true, `${rec.type} not applied`);
  return state;
}
