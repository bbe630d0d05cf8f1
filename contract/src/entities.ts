// Entities of the topology contract: nodes and the actors placed on them.
import { Type, type Static } from '@sinclair/typebox';

/** Every label coming from outside is untrusted text: bounded length, no control characters. */
export const SafeText = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });

export const Id = SafeText(256);

export const LAYERS = ['hardware', 'os', 'kubernetes', 'akash', 'harmonix', 'observer', 'mesh'] as const;
/** A string enum as plain JSON Schema `enum` (clearer errors than a union of literals). */
export function StringEnum<T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

export const Layer = StringEnum(LAYERS);
export type Layer = (typeof LAYERS)[number];

export const NodeRef = Type.Object(
  {
    id: Id,
    kind: SafeText(64),
    layer: Layer,
    name: SafeText(256),
  },
  { additionalProperties: false },
);
export type NodeRef = Static<typeof NodeRef>;

export const ActorRef = Type.Object(
  {
    id: Id,
    kind: SafeText(64),
    layer: Layer,
    name: SafeText(256),
    node: Id,
  },
  { additionalProperties: false },
);
export type ActorRef = Static<typeof ActorRef>;
