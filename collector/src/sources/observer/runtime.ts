// The observer runtime: read events from the checkpoint on, apply them, commit checkpoint, then world files.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { EventParser } from './event.js';
import { loadInventory, type Inventory } from './inventory.js';
import { readMarkers } from './markers.js';
import { projectWorld, WORLD_FILES, type WorldFileName } from './project.js';
import { listEventFiles, readChunks, START, type Position } from './reader.js';
import { removeStaleTemps, syncDir, writeFileAtomic } from './atomic.js';
import { DEFAULT_LIMITS, World, type WorldLimits } from './world.js';

export interface ObserverPaths {
  eventsDir: string;
  stateDir: string;
  worldDir: string;
  /** Repository with inventory/topology.yaml and hosts/<node>/services.yaml (optional). */
  repoDir?: string;
  /** Logs directory diagnostics are resolved against (optional; without it they are listed unresolved). */
  logsDir?: string;
}

export interface ObserverOptions {
  /** Bytes read per chunk. */
  chunkBytes: number;
  /** Commit (checkpoint + world files) after this many bytes of events at most. */
  commitBytes: number;
  limits: WorldLimits;
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** Record changes for contract emission. */
  recordChanges?: boolean;
  /** Called after every commit (tests and the CLI use it to report progress). */
  onCommit?: (position: Position) => void;
}

export const DEFAULT_OPTIONS: ObserverOptions = { chunkBytes: 4 << 20, commitBytes: 32 << 20, limits: DEFAULT_LIMITS };

const parser = new EventParser();

/** Apply one complete line to a world; a malformed one is counted and logged with file and line number. */
function applyLine(world: World, text: string, file: string, line: number, logger?: Pick<Logger, 'warn'>): void {
  // A UTF-8 byte order mark may open a file (some editors and Windows tools write one); it is not content.
  const body = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0 || (body.charCodeAt(0) <= 32 && body.trim() === '')) return;
  const parsed = parser.parse(body);
  if (typeof parsed !== 'string') world.apply(parsed, parser.ms);
  else {
    world.malformed();
    logger?.warn({ file, line, reason: parsed }, 'observer: malformed event line skipped');
  }
}

export class ObserverRuntime {
  world: World = new World();
  position: Position = START;
  inventory: Inventory = { nodes: new Map(), services: new Map() };
  private written = new Map<WorldFileName, string>();
  /** Invalid marker files already reported (each is logged once per reason, not on every pass). */
  private reported = new Set<string>();
  /** Event files that appeared sorting before the read position (never read: the reader has passed them). */
  lateFiles = 0;
  /** Every event file name listed so far: a new one sorting before the position arrived late. */
  private listed = new Set<string>();

  constructor(
    readonly paths: ObserverPaths,
    readonly options: ObserverOptions = DEFAULT_OPTIONS,
  ) {}

  /** Load the checkpoint (or start over) and rewrite the world files from it (repairs a crash between commit steps). */
  async open(): Promise<void> {
    for (const dir of [this.paths.stateDir, this.paths.worldDir]) {
      mkdirSync(dir, { recursive: true });
      removeStaleTemps(dir);
    }
    const cp = loadCheckpoint(this.paths.stateDir, this.options.limits);
    if (cp.problem) this.options.logger?.warn({ problem: cp.problem }, 'observer: checkpoint');
    this.world = cp.world;
    this.position = cp.position;
    if (this.options.recordChanges) this.world.record();
    await this.reloadInventory();
    this.listed.clear();
    this.noteLateFiles(false); // what is there at start is the baseline: nothing can be judged late yet
    this.written.clear();
    this.writeWorld();
  }

  /**
   * Warns about and counts event files that sort before the read position but were not there when the reader
   * passed it. They are not read (the order of events is the order of file names), so their events are missing
   * from the world until it is rebuilt from the events.
   */
  private noteLateFiles(judge = true): void {
    let baseline = !judge;
    if (this.listed.size > 100_000) {
      this.listed.clear(); // bounded: this listing becomes the new baseline
      baseline = true;
    }
    for (const file of listEventFiles(this.paths.eventsDir)) {
      if (this.listed.has(file)) continue;
      this.listed.add(file);
      if (baseline || file >= this.position.file) continue;
      this.lateFiles++;
      this.options.logger?.warn(
        { file, position: this.position.file },
        'observer: event file sorts before the checkpoint position and was not read (arrived late); rebuild to include it',
      );
    }
  }

  /**
   * Re-read the inventory. An invalid one is logged (file and field) and the last good one kept, so a typo in
   * the repository never stops event processing. Returns the problem, if any.
   */
  async reloadInventory(): Promise<Error | undefined> {
    try {
      this.inventory = await loadInventory(this.paths.repoDir);
      return undefined;
    } catch (err) {
      this.options.logger?.warn({ problem: (err as Error).message }, 'observer: inventory invalid, keeping the last good one');
      return err as Error;
    }
  }

  /**
   * Process every complete event available now (yielding to the event loop between chunks; an abort stops
   * early after committing what was read). Returns the number of lines read.
   */
  async catchUp(signal?: AbortSignal): Promise<number> {
    this.noteLateFiles();
    let lines = 0;
    let sinceCommit = 0;
    // Reading a chunk applies its lines, so an abort is checked before each read, never between read and apply.
    if (signal?.aborted) return lines;
    const apply = (text: string, file: string, line: number) => applyLine(this.world, text, file, line, this.options.logger);
    for (const chunk of readChunks(this.paths.eventsDir, this.position, this.options.chunkBytes, apply)) {
      sinceCommit += chunk.next.offset - (chunk.file === this.position.file ? this.position.offset : 0);
      this.position = chunk.next;
      lines += chunk.lines;
      if (sinceCommit >= this.options.commitBytes) {
        this.commit();
        sinceCommit = 0;
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) break;
    }
    if (sinceCommit > 0) this.commit();
    return lines;
  }

  /** Checkpoint (position + state) first: that is the commit point. The world files follow from it. */
  commit(): void {
    saveCheckpoint(this.paths.stateDir, this.position, this.world);
    this.writeWorld();
    this.options.onCommit?.(this.position);
  }

  /** Re-read the side inputs (stage markers, diagnostics) and rewrite the world files they change. */
  refresh(): void {
    this.writeWorld();
  }

  private writeWorld(): void {
    const markers = readMarkers(this.paths.stateDir);
    for (const { file, reason } of markers.invalid) {
      const key = `${file}\u0000${reason}`;
      if (this.reported.has(key)) continue;
      if (this.reported.size < 10000) this.reported.add(key);
      this.options.logger?.warn({ file, reason }, 'observer: stage marker not used');
    }
    const files = projectWorld(this.world, this.inventory, { markers, logsDir: this.paths.logsDir });
    let changed = false;
    for (const name of WORLD_FILES) {
      if (this.written.get(name) === files[name]) continue;
      writeFileAtomic(join(this.paths.worldDir, name), files[name]);
      this.written.set(name, files[name]);
      changed = true;
    }
    if (changed) syncDir(this.paths.worldDir);
  }
}

/** Library entry (the benchmark uses it): the whole world from an events directory and an inventory, in memory. */
export async function rebuildWorld(
  eventsDir: string,
  repoDir?: string,
  limits: WorldLimits = DEFAULT_LIMITS,
  logsDir?: string,
): Promise<{ world: World; files: Record<WorldFileName, string>; lines: number }> {
  const world = new World(limits);
  const inventory = await loadInventory(repoDir);
  let lines = 0;
  for (const chunk of readChunks(eventsDir, START, DEFAULT_OPTIONS.chunkBytes, (text, file, line) => applyLine(world, text, file, line))) {
    lines += chunk.lines;
  }
  // No state directory here: no stage markers (the summary says none were applied).
  return { world, files: projectWorld(world, inventory, { markers: { markers: [], invalid: [], skipped: 0 }, logsDir }), lines };
}
