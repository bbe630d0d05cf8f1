// The record schemas the validator dispatches on, and the ajv options they are compiled with (at run time for the
// other schemas, ahead of time for these: see validators.generated.ts).
import * as schemas from './events.js';

export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const;

/** By the name each compiled validator is exported under in validators.generated.ts. */
export const RECORD_SCHEMAS = {
  NodeJoined: schemas.NodeJoined,
  NodeLeft: schemas.NodeLeft,
  NodeFailed: schemas.NodeFailed,
  NodeRecovered: schemas.NodeRecovered,
  ActorSpawned: schemas.ActorSpawned,
  ActorExited: schemas.ActorExited,
  ActorRestarted: schemas.ActorRestarted,
  Audit: schemas.Audit,
  FlowSample: schemas.FlowSample,
  Keyframe: schemas.Keyframe,
};
