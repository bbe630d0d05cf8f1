import { DataFrame, FieldType, createDataFrame } from '@grafana/data';
import { Cut } from './cuts';
import { chooseKeyframes, KeyframeOptions, likelyStart, readKeyframeHeads } from './keyframes';
import { isKeyframeRow, LogRow } from './logRows';
import { readAllLines, PageOptions, PageResult } from './pager';
import { flowsExpr, recordsAndHeadsExpr } from './exprs';
import { KEYFRAME_HEADS_REF, MAX_SKEW_MS } from '../model/emitters';
import { queryRangeSized } from './metrics';
import { QueryRunner } from './query';
import { nextTask } from './nextTask';

/** The stored data for one window [from, to): what state at any t inside it is built from. */
export interface LoadedWindow {
  from: number;
  to: number;
  /** where the records start: the oldest chosen keyframe (or `from` when there is none) */
  start: number;
  frames: DataFrame[];
  cuts: Cut[];
  stats: WindowStats;
  /** when its records were read (records stamped after this, minus the ingest delay, may be missing) */
  readAt: number;
  rows: LogRow[];
}

/** What loading a window cost: queries, lines, and the wall time of each phase in ms. The keyframe heads lookup
 * comes first (flow rates meanwhile); the keyframe parts and the window's records then run at once, so the phases do
 * not add up to `total`. */
export interface WindowStats {
  queries: number;
  lines: number;
  /** records: the records and keyframe heads of the window, one read */
  ms: { lookup: number; parts: number; records: number; flows: number; total: number };
}

/** Runs `p`; resolves with its value and how long it took to settle, ms. */
async function timed<T>(p: () => Promise<T>): Promise<[T, number]> {
  const a = performance.now();
  const v = await p();
  return [v, performance.now() - a];
}

export interface WindowOptions {
  selector: string;
  refId: string;
  keyframes?: KeyframeOptions;
  pages?: PageOptions;
  /** flow rates for the window from Prometheus (step sized to the window, not the dashboard range) */
  flows?: { run: QueryRunner; refId: string; bins: number };
}

/** Log rows as the Loki-style frame the panel's frame mapping reads (Time + Line). */
export function linesFrame(refId: string, rows: LogRow[]): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: rows.map((r) => r.ms) },
      { name: 'Line', type: FieldType.string, values: rows.map((r) => r.line) },
    ],
  });
}

interface FlowsResult {
  frames: DataFrame[];
  cuts: Cut[];
  queries: number;
}

/** The flow rates of the window, or a cut saying why not. */
async function readFlows(flows: NonNullable<WindowOptions['flows']>, from: number, to: number): Promise<FlowsResult> {
  try {
    const f = await queryRangeSized(flows.run, flowsExpr, from, to, flows.bins, flows.refId);
    return { frames: f.frames, cuts: f.cuts, queries: f.queries };
  } catch (e) {
    return {
      frames: [],
      cuts: [{ from, to, problem: { kind: 'flows-not-shown', error: e instanceof Error ? e.message : String(e) } }],
      queries: 1,
    };
  }
}

/** Every line of `expr` in [start, to), started before `start` is known from its likely value `guess`: [guess, to)
 * is read at once; then [start, guess) is read too when start is earlier, and the lines before start are dropped when
 * it is later — the same lines as reading [start, to). */
async function readFromGuess(
  run: QueryRunner,
  expr: string,
  guess: number,
  start: Promise<number>,
  to: number,
  pages?: PageOptions
): Promise<PageResult> {
  const [main, s] = await Promise.all([readAllLines(run, expr, guess, to, pages), start]);
  if (s >= guess) {
    return { ...main, rows: main.rows.filter((r) => r.ms >= s) };
  }
  const before = await readAllLines(run, expr, s, guess, pages);
  return {
    rows: [...before.rows, ...main.rows],
    queries: before.queries + main.queries,
    cuts: [...before.cuts, ...main.cuts],
  };
}

/** state at t ∈ [from, to) = the newest complete keyframe at or before `from` per collector + every record from
 * that keyframe (less the tolerated clock skew: a record applied after it may be stamped before it) up to `to`, all
 * pages; plus the heads of the keyframes in between, which say when each collector was heard (contract 1.2).
 * Round trips: the keyframe heads lookup (flow rates meanwhile), then at once the keyframe parts and the records with
 * the heads (one query), read from the newest heads' time before the parts say which keyframes are complete. */
export async function loadWindow(
  run: QueryRunner,
  from: number,
  to: number,
  opts: WindowOptions,
  now: () => number = Date.now
): Promise<LoadedWindow> {
  const readAt = now();
  const began = performance.now();
  const flowsRead = opts.flows ? timed(() => readFlows(opts.flows!, from, to)) : undefined;
  const kfHeads = await readKeyframeHeads(run, opts.selector, from, opts.keyframes);
  const lookupMs = performance.now() - began;
  const guess = likelyStart(kfHeads);
  const chosen = chooseKeyframes(run, opts.selector, kfHeads);
  const start = chosen.then((kf) => (kf.keyframes.length > 0 ? Math.min(...kf.keyframes.map((k) => k.time)) : from));
  const [[kf, partsMs], [read, recordsMs], [flows, flowsMs]] = await Promise.all([
    timed(() => chosen),
    timed(() =>
      readFromGuess(
        run,
        recordsAndHeadsExpr(opts.selector),
        guess - MAX_SKEW_MS,
        start.then((s) => s - MAX_SKEW_MS),
        to,
        opts.pages
      )
    ),
    flowsRead ?? ([{ frames: [], cuts: [], queries: 0 }, 0] as [FlowsResult, number]),
  ]);
  // the last answer's own processing ran in this task: the window is put together in the next
  await nextTask();
  // one query gives the records and the keyframe heads; the heads count from the keyframe on
  const s0 = await start;
  const heads = read.rows.filter((r) => r.ms >= s0 && isKeyframeRow(r));
  const records = read.rows.filter((r) => !isKeyframeRow(r));
  const keyframeRows = kf.keyframes.flatMap((k) => k.rows);
  const rows = [...keyframeRows, ...records].sort((a, b) => a.ms - b.ms);
  const frames = [linesFrame(opts.refId, rows), linesFrame(KEYFRAME_HEADS_REF, heads), ...flows.frames];
  return {
    from,
    to,
    start: s0,
    frames,
    cuts: [...kf.cuts, ...read.cuts, ...flows.cuts],
    stats: {
      // kf.queries counts the heads lookup too
      queries: kf.queries + read.queries + flows.queries,
      lines: rows.length,
      ms: { lookup: lookupMs, parts: partsMs, records: recordsMs, flows: flowsMs, total: performance.now() - began },
    },
    readAt,
    rows,
  };
}
