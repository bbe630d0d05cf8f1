export * from './entities.js';
export * from './events.js';
export * from './validate.js';
