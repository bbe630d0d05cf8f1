// Small helpers for observer tests: temp layout, event lines, reading the world files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORLD_FILES } from '../../../src/sources/observer/project.js';
import { DEFAULT_OPTIONS, ObserverRuntime, type ObserverOptions, type ObserverPaths } from '../../../src/sources/observer/runtime.js';

export interface Layout {
  root: string;
  eventsDir: string;
  stateDir: string;
  worldDir: string;
  repoDir: string;
  cleanup(): void;
}

export function layout(): Layout {
  const root = mkdtempSync(join(tmpdir(), 'hmx-observer-'));
  const l = {
    root,
    eventsDir: join(root, 'events'),
    stateDir: join(root, 'state'),
    worldDir: join(root, 'world'),
    repoDir: join(root, 'repo'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const d of [l.eventsDir, l.stateDir, l.worldDir, l.repoDir]) mkdirSync(d, { recursive: true });
  return l;
}

/** Opens a runtime on the layout (repository included) and processes every event there. */
export async function runObserver(l: Layout, options: ObserverOptions = DEFAULT_OPTIONS, paths: Partial<ObserverPaths> = {}): Promise<ObserverRuntime> {
  const rt = new ObserverRuntime({ eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir, repoDir: l.repoDir, ...paths }, options);
  await rt.open();
  await rt.catchUp();
  return rt;
}

export function writeEvents(dir: string, file: string, events: (Record<string, unknown> | string)[]): void {
  writeFileSync(join(dir, file), events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n');
}

export function readWorld(worldDir: string): Record<string, string> {
  return Object.fromEntries(WORLD_FILES.map((f) => [f, readFileSync(join(worldDir, f), 'utf8')]));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readJson<T = Record<string, any>>(worldDir: string, file: string): T {
  return JSON.parse(readFileSync(join(worldDir, file), 'utf8')) as T;
}

/** The Observer Runtime's example: two health-check failures of mosquitto on saturn, then its recovery. */
export const DOC_EXAMPLE = [
  { timestamp: '2026-05-12T12:05:00Z', type: 'healthcheck_failed', node: 'saturn', service: 'mosquitto', correlation_id: 'hc-1' },
  { timestamp: '2026-05-12T12:06:00Z', type: 'healthcheck_failed', node: 'saturn', service: 'mosquitto', correlation_id: 'hc-1' },
  { timestamp: '2026-05-12T12:10:00Z', type: 'service_recovered', node: 'saturn', service: 'mosquitto' },
];
