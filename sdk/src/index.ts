// @harmonix/sdk: what an actor runtime imports to report its topology.
export { HarmonixSdk, createSdk } from './sdk.js';
export type { SdkOptions, EventOptions, EmitResult, SendOptions, SdkStats } from './sdk.js';
export { SdkError, type SdkErrorKind } from './errors.js';
export type { MessageEnvelope } from './tracing.js';
export type { BatcherStats } from './batcher.js';
export type { ActorRef, Attributes, Layer, NodeRef } from '@harmonix/contract';
