// Public entry of the demo mesh: `startDemo(options)` runs a real multi-process actor cluster instrumented by the SDK.
export { startDemo, type DemoHandle, type DemoNodeInfo } from './supervisor.js';
export type { DemoOptions } from './options.js';
export type { ChaosOptions } from './chaos.js';
export type { EdgeStats } from './protocol.js';
export { meshActor, meshNode, actorsOf } from './ids.js';
