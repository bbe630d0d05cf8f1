/** Contract v1 names shared with the collector (see docs/contract.md). */

export const LAYERS = ['hardware', 'os', 'kubernetes', 'akash', 'harmonix', 'observer', 'mesh'] as const;
export type Layer = (typeof LAYERS)[number];

export interface NodeEntity {
  id: string;
  kind: string;
  layer: string;
  name: string;
}

export interface ActorEntity extends NodeEntity {
  node: string;
}

export const LIFECYCLE_TYPES = [
  'node.joined',
  'node.left',
  'node.failed',
  'node.recovered',
  'actor.spawned',
  'actor.exited',
  'actor.restarted',
  'audit',
] as const;
export type LifecycleType = (typeof LIFECYCLE_TYPES)[number];

/** A lifecycle event after validation, with time in epoch milliseconds. */
export interface LifecycleEvent {
  type: LifecycleType;
  time: number;
  emitter: string;
  seq: number;
  node?: NodeEntity;
  actor?: ActorEntity;
  reason?: string;
  exitCode?: number;
  restartCount?: number;
  /** true when derived from a metric sample rather than a logged event */
  implicit?: boolean;
}

export const ACTOR_STATES = ['running', 'exited', 'unknown'] as const;
/** `unknown` (contract 1.1): the actor's node failed and no record has told its fate since. */
export type ActorState = (typeof ACTOR_STATES)[number];

/** Contract 1.1: one part of a keyframe split to fit a Loki line; the parts with the same (emitter, id) form it. */
export interface KeyframePart {
  id: string;
  index: number;
  count: number;
}

/** Keyframe from the contract: a full snapshot of state at `time` (a part of one while `part` is set). */
export interface KeyframeEvent {
  type: 'keyframe';
  time: number;
  emitter: string;
  seq: number;
  part?: KeyframePart;
  nodes: Array<NodeEntity & { state: 'up' | 'failed' }>;
  /** `since`: epoch ms of the actor's last transition, when the keyframe says */
  actors: Array<ActorEntity & { state: ActorState; restarts: number; since?: number }>;
  /** last seq per emitter the snapshot includes (part 0 only; contract revision 1.2 orders records by it) */
  emitters?: Record<string, number>;
}

export type TimelineEvent = LifecycleEvent | KeyframeEvent;

/** Contract flow sample: message/byte deltas since the emitter's previous sample for that edge. */
export interface FlowSample {
  type: 'flow';
  time: number;
  emitter: string;
  from: string;
  to: string;
  messages: number;
}

/** Prometheus label names from docs/metrics.md. */
export const LABELS = {
  nodeId: 'hmx_node_id',
  nodeName: 'hmx_node_name',
  nodeKind: 'hmx_node_kind',
  layer: 'hmx_layer',
  actorId: 'hmx_actor_id',
  actorName: 'hmx_actor_name',
  actorKind: 'hmx_actor_kind',
  sourceActor: 'hmx_source_actor_id',
  destActor: 'hmx_destination_actor_id',
  sourceNode: 'hmx_source_node_id',
  destNode: 'hmx_destination_node_id',
  sgClient: 'client',
  sgServer: 'server',
} as const;

export const METRICS = {
  nodeUp: 'hmx_node_up',
  actorUp: 'hmx_actor_up',
  flowMessages: 'hmx_flow_messages_total',
  serviceGraph: 'traces_service_graph_request_total',
} as const;
