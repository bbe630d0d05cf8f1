// A small CLI around the observer runtime: catch up once and exit (used by the kill test; handy for ops).
// node --import tsx collector/src/sources/observer/cli.ts --events DIR --state DIR --world DIR [--repo DIR] [--commit-bytes N]
import { parseArgs } from 'node:util';
import { fromEnv } from '../../config/env.js';
import { createLogger } from '../../core/logger.js';
import { DEFAULT_OPTIONS, ObserverRuntime } from './runtime.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    state: { type: 'string' },
    world: { type: 'string' },
    repo: { type: 'string' },
    'chunk-bytes': { type: 'string' },
    'commit-bytes': { type: 'string' },
    progress: { type: 'boolean', default: false },
  },
});

if (!values.events || !values.state || !values.world) {
  console.error('usage: observer --events DIR --state DIR --world DIR [--repo DIR] [--chunk-bytes N] [--commit-bytes N] [--progress]');
  process.exit(2);
}
const chunkBytes = Number(values['chunk-bytes'] ?? DEFAULT_OPTIONS.chunkBytes);
const runtime = new ObserverRuntime(
  { eventsDir: values.events, stateDir: values.state, worldDir: values.world, repoDir: values.repo },
  {
    ...DEFAULT_OPTIONS,
    chunkBytes,
    commitBytes: Number(values['commit-bytes'] ?? DEFAULT_OPTIONS.commitBytes),
    logger: createLogger((fromEnv(process.env).logLevel as string | undefined) ?? 'warn'),
    onCommit: values.progress ? (p) => process.stdout.write(`${JSON.stringify({ committed: p })}\n`) : undefined,
  },
);
await runtime.open();
const lines = await runtime.catchUp();
process.stdout.write(`${JSON.stringify({ done: true, lines, position: runtime.position })}\n`);
