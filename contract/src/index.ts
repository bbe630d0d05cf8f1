// @harmonix/contract: the records every source, the SDK and the panel speak, their JSON schemas and the validator.
export * from './entities.js';
export * from './events.js';
export * from './json-schema.js';
export * from './keyframe-parts.js';
export * from './validate.js';
