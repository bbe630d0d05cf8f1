// @harmonix/delivery: the retry and time primitives the collector and the SDK both run on, and OTLP signal URLs.
export * from './backoff.js';
export * from './clock.js';
export * from './otlp-url.js';
