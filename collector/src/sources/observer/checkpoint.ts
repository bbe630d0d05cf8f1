// The checkpoint: the read position AND the world state at that position, in one atomically written file,
// so a crash anywhere leaves either the old pair or the new pair — never a world ahead of or behind its position.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir, writeFileAtomic } from './atomic.js';
import { START, type Position } from './reader.js';
import { World, type WorldLimits } from './world.js';

export const CHECKPOINT_FILE = 'observer_checkpoint.json';
const VERSION = 1;

export interface Checkpoint {
  position: Position;
  world: World;
}

export function saveCheckpoint(stateDir: string, position: Position, world: World): void {
  const body = JSON.stringify({ version: VERSION, file: position.file, offset: position.offset, line: position.line, state: world.snapshot() });
  writeFileAtomic(join(stateDir, CHECKPOINT_FILE), body);
  syncDir(stateDir);
}

/** The saved checkpoint, a fresh start when there is none, or a fresh start (with a reason) when it is unusable. */
export function loadCheckpoint(stateDir: string, limits: WorldLimits): Checkpoint & { problem?: string } {
  let text: string;
  try {
    text = readFileSync(join(stateDir, CHECKPOINT_FILE), 'utf8');
  } catch (err) {
    const problem = (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : (err as Error).message;
    return { position: START, world: new World(limits), ...(problem && { problem }) };
  }
  try {
    const c = JSON.parse(text) as { version: number; file: string; offset: number; line: number; state: unknown };
    if (c.version !== VERSION || typeof c.file !== 'string' || !Number.isInteger(c.offset) || !Number.isInteger(c.line)) {
      throw new Error('unknown checkpoint version or shape');
    }
    return { position: { file: c.file, offset: c.offset, line: c.line }, world: World.restore(c.state, limits) };
  } catch (err) {
    return { position: START, world: new World(limits), problem: `checkpoint unusable, rebuilding: ${(err as Error).message}` };
  }
}
