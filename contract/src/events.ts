// Lifecycle events, flow samples and keyframes: the one contract every source and the panel speak.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ActorRef, Id, NodeRef, SafeText, StringEnum } from './entities.js';

export const CONTRACT_VERSION = 1;

const AttributeValue = Type.Union([SafeTextOrEmpty(1024), Type.Number(), Type.Boolean()]);
function SafeTextOrEmpty(maxLength: number) {
  return Type.String({ maxLength, pattern: '^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$' });
}
export const Attributes = Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.]{0,127}$' }), AttributeValue, {
  additionalProperties: false,
  maxProperties: 32,
});

/** Fields every contract record carries. `time` is when it happened at the source, not when it was seen. */
const envelope = {
  v: Type.Literal(CONTRACT_VERSION),
  time: Type.String({ format: 'date-time', maxLength: 40 }),
  emitter: Id,
  seq: Type.Integer({ minimum: 0 }),
};

function event<K extends string, T extends Record<string, TSchema>>(type: K, fields: T) {
  return Type.Object(
    { ...envelope, type: Type.Literal(type), ...fields, attributes: Type.Optional(Attributes) },
    { additionalProperties: false, $id: `hmx.${type}` },
  );
}

export const NODE_EVENT_TYPES = ['node.joined', 'node.left', 'node.failed', 'node.recovered'] as const;
export const ACTOR_EVENT_TYPES = ['actor.spawned', 'actor.exited', 'actor.restarted'] as const;

const reason = Type.Optional(SafeText(512));

export const NodeJoined = event('node.joined', { node: NodeRef });
export const NodeLeft = event('node.left', { node: NodeRef, reason });
export const NodeFailed = event('node.failed', { node: NodeRef, reason });
export const NodeRecovered = event('node.recovered', { node: NodeRef });
export const ActorSpawned = event('actor.spawned', { actor: ActorRef });
export const ActorExited = event('actor.exited', {
  actor: ActorRef,
  reason,
  exitCode: Type.Optional(Type.Integer({ minimum: -2147483648, maximum: 2147483647 })),
});
export const ActorRestarted = event('actor.restarted', {
  actor: ActorRef,
  restartCount: Type.Integer({ minimum: 0 }),
  reason,
});
/** A notable fact on the timeline that changes no entity (dissonance audit, incident, bid won/lost, alert). */
export const Audit = event('audit', {
  subject: Id,
  message: SafeText(1024),
  severity: StringEnum(['info', 'warning', 'error', 'critical'] as const),
});

export const FlowSample = event('flow', {
  from: Id,
  to: Id,
  messages: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
});

const NodeState = StringEnum(['up', 'failed'] as const);
/** `unknown` (revision 1.1): the actor's node failed and no record has told its fate since. */
export const ACTOR_STATES = ['running', 'exited', 'unknown'] as const;
const ActorState = StringEnum(ACTOR_STATES);
/**
 * Revision 1.1: a keyframe may be split into parts (each a full keyframe record, JSON body <= 64 KiB) that share
 * `time` and `emitter` and carry consecutive `seq`s; see contract/keyframe-parts.ts for the split and reassembly.
 */
export const KeyframePart = Type.Object(
  {
    /** Opaque, unique per emitter: `<emitter>#<seq of part 0>` from the collector. */
    id: SafeText(320),
    index: Type.Integer({ minimum: 0 }),
    count: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export const Keyframe = event('keyframe', {
  part: Type.Optional(KeyframePart),
  nodes: Type.Array(Type.Composite([NodeRef, Type.Object({ state: NodeState })]), { maxItems: 100000 }),
  actors: Type.Array(
    Type.Composite([
      ActorRef,
      Type.Object({ state: ActorState, restarts: Type.Integer({ minimum: 0 }), since: Type.Optional(Type.String({ format: 'date-time' })) }),
    ]),
    { maxItems: 1000000 },
  ),
  flows: Type.Array(Type.Object({ from: Id, to: Id, messages: Type.Integer({ minimum: 0 }), bytes: Type.Integer({ minimum: 0 }) }), { maxItems: 1000000 }),
  /** Last sequence seen per emitter, so duplicate detection survives a restart from this keyframe. */
  emitters: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Type.Integer({ minimum: 0 }))),
});

export const LifecycleEvent = Type.Union([NodeJoined, NodeLeft, NodeFailed, NodeRecovered, ActorSpawned, ActorExited, ActorRestarted, Audit]);
/** Anything accepted on ingest. */
export const ContractRecord = Type.Union([...LifecycleEvent.anyOf, FlowSample]);

export type NodeJoined = Static<typeof NodeJoined>;
export type NodeLeft = Static<typeof NodeLeft>;
export type NodeFailed = Static<typeof NodeFailed>;
export type NodeRecovered = Static<typeof NodeRecovered>;
export type ActorSpawned = Static<typeof ActorSpawned>;
export type ActorExited = Static<typeof ActorExited>;
export type ActorRestarted = Static<typeof ActorRestarted>;
export type Audit = Static<typeof Audit>;
export type FlowSample = Static<typeof FlowSample>;
export type Keyframe = Static<typeof Keyframe>;
export type KeyframePart = Static<typeof KeyframePart>;
export type LifecycleEvent = Static<typeof LifecycleEvent>;
export type ContractRecord = Static<typeof ContractRecord>;
export type Attributes = Static<typeof Attributes>;
