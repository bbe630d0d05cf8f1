// Re-emits an archived period: with the original timestamps as fast as possible (backfill), or time-shifted to now
// and paced at a chosen speed (rehearsal). Corrupt bundles are refused up front unless skipCorrupt is set. Keyframes
// are sent only once all their parts were read; one missing a part (a skipped bundle, retention) is reported instead.
import { backoffDelay, type Clock, systemClock } from '@harmonix/delivery';
import { KeyframeAssembler, type IncompleteKeyframe } from '@harmonix/contract';
import { kindOf, type ArchivedRecord } from './bundle.js';
import { readManifest, type BundleEntry } from './manifest.js';
import { checkBundle, describeEntry, loadBundle } from './read.js';

export type ReplayMode = { kind: 'backfill' } | { kind: 'shifted'; speed: number };

export interface ReplayOptions {
  dir: string;
  fromMs: number;
  toMs: number;
  mode: ReplayMode;
  skipCorrupt: boolean;
  send(records: readonly ArchivedRecord[]): Promise<{ ok: boolean; error?: string }>;
  onProgress?(done: number, total: number): void;
  onSkip?(file: string, detail: string): void;
  /** A keyframe that lacks parts in the selected archive: not replayed (a reader would have to reject it). */
  onIncompleteKeyframe?(keyframe: IncompleteKeyframe): void;
  batchSize?: number;
  /** Attempts per batch before the replay fails (the endpoint is down). */
  attempts?: number;
  /** Pacing and retry waits (default: real time). */
  clock?: Clock;
  /** The retries' jitter source (default Math.random). */
  random?: () => number;
}

export interface ReplayResult {
  records: number;
  lifecycle: number;
  flow: number;
  /** Keyframe records (parts) sent. */
  keyframe: number;
  bundles: number;
  skipped: string[];
  incompleteKeyframes: IncompleteKeyframe[];
}

/** The archive or its contents cannot be trusted; nothing was sent. */
export class ReplayRefused extends Error {}

/** Waits between attempts of one batch: 1 s, 2 s, 4 s… (equal jitter: each between half and all of that), at most 16 s. */
const RETRY = { baseMs: 1000, maxMs: 16_000 };

function overlaps(b: BundleEntry, fromMs: number, toMs: number): boolean {
  return Date.parse(b.to) >= fromMs && Date.parse(b.from) <= toMs;
}

export async function replayArchive(opts: ReplayOptions): Promise<ReplayResult> {
  const manifest = readManifest(opts.dir);
  if (!manifest.ok) throw new ReplayRefused(`cannot replay ${opts.dir}: ${manifest.problem}`);
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const sleep = (ms: number) => clock.sleep(ms);
  const random = opts.random ?? Math.random;
  const batchSize = opts.batchSize ?? 512;
  const selected = manifest.body.bundles.filter((b) => overlaps(b, opts.fromMs, opts.toMs));
  const result: ReplayResult = { records: 0, lifecycle: 0, flow: 0, keyframe: 0, bundles: 0, skipped: [], incompleteKeyframes: [] };
  const keyframes = new KeyframeAssembler({ sequential: true });
  const reportIncomplete = (lost: IncompleteKeyframe[]) => {
    for (const k of lost) {
      result.incompleteKeyframes.push(k);
      opts.onIncompleteKeyframe?.(k);
    }
  };
  /** What can be sent once `record` was read: itself, nothing (a keyframe part still waiting), or a keyframe's parts. */
  const ready = (record: ArchivedRecord): ArchivedRecord[] => {
    if (record.type !== 'keyframe') return [record];
    const added = keyframes.add(record);
    reportIncomplete(added.incomplete);
    return added.parts ?? [];
  };
  const usable: BundleEntry[] = [];
  const refused: string[] = [];
  for (const entry of selected) {
    const checked = checkBundle(opts.dir, entry);
    if (checked.ok) usable.push(entry);
    else refused.push(checked.detail);
  }
  if (refused.length && !opts.skipCorrupt) {
    throw new ReplayRefused(
      `refusing to replay: ${refused.length} bundle(s) failed verification (use --skip-corrupt to replay the rest):\n  ${refused.join('\n  ')}`,
    );
  }
  for (const detail of refused) {
    result.skipped.push(detail);
    opts.onSkip?.(detail.split(':')[0] ?? detail, detail);
  }
  const total = usable.reduce((sum, b) => sum + (b.lastN - b.firstN + 1), 0);
  let done = 0;
  const wallStart = now();
  let origin: number | undefined;
  const send = async (batch: ArchivedRecord[]) => {
    const attempts = opts.attempts ?? 5;
    for (let i = 1; ; i++) {
      const r = await opts.send(batch);
      if (r.ok) break;
      if (i >= attempts) throw new Error(`OTLP endpoint refused the replay after ${attempts} attempts: ${r.error ?? 'export failed'}`);
      await sleep(backoffDelay(i - 1, RETRY, random));
    }
    for (const r of batch) result[kindOf(r)]++;
    result.records += batch.length;
  };
  for (const entry of usable) {
    const loaded = loadBundle(opts.dir, entry);
    if (!loaded.ok) {
      // Verified a moment ago; changed since (or undecodable despite a matching checksum).
      if (!opts.skipCorrupt) throw new ReplayRefused(`refusing to continue: ${loaded.detail}`);
      result.skipped.push(loaded.detail);
      opts.onSkip?.(describeEntry(entry), loaded.detail);
      continue;
    }
    result.bundles++;
    let batch: ArchivedRecord[] = [];
    for (const read of loaded.records) {
      done++;
      const t = Date.parse(read.time);
      if (t < opts.fromMs || t > opts.toMs) continue;
      for (const record of ready(read)) {
        if (opts.mode.kind === 'backfill') {
          batch.push(record);
        } else {
          origin ??= t;
          const due = wallStart + Math.max(0, t - origin) / opts.mode.speed;
          if (due > now()) {
            if (batch.length) await send(batch);
            batch = [];
            opts.onProgress?.(done, total);
            await sleep(due - now());
          }
          batch.push({ ...record, time: new Date(Math.max(due, wallStart)).toISOString() } as ArchivedRecord);
        }
        if (batch.length >= batchSize) {
          await send(batch);
          batch = [];
          opts.onProgress?.(done, total);
        }
      }
    }
    if (batch.length) await send(batch);
    opts.onProgress?.(done, total);
  }
  reportIncomplete(keyframes.drain());
  return result;
}
