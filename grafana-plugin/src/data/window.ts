import { DataFrame, FieldType, createDataFrame } from '@grafana/data';
import { Cut } from './cuts';
import { findKeyframes, KeyframeOptions } from './keyframes';
import { LogRow } from './logRows';
import { readAllLines, PageOptions } from './pager';
import { flowsExpr, keyframeHeadsExpr, recordsExpr } from './exprs';
import { KEYFRAME_HEADS_REF, MAX_SKEW_MS } from '../model/emitters';
import { queryRangeSized } from './metrics';
import { QueryRunner } from './query';

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

/** What loading a window cost: queries, lines, and the wall time of each phase in ms (phases that run at the same
 * time overlap, so they do not add up to `total`). */
export interface WindowStats {
  queries: number;
  lines: number;
  ms: { keyframes: number; records: number; heads: number; flows: number; total: number };
}

/** `p` with how long it took from now to settle, ms. */
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

/** state at t ∈ [from, to) = the newest complete keyframe at or before `from` per collector + every record from
 * that keyframe (less the tolerated clock skew: a record applied after it may be stamped before it) up to `to`, all
 * pages; plus the heads of the keyframes in between, which say when each collector was heard (contract 1.2). */
export async function loadWindow(
  run: QueryRunner,
  from: number,
  to: number,
  opts: WindowOptions,
  now: () => number = Date.now
): Promise<LoadedWindow> {
  const readAt = now();
  const began = performance.now();
  const [kf, kfMs] = await timed(() => findKeyframes(run, opts.selector, from, opts.keyframes));
  const start = kf.keyframes.length > 0 ? Math.min(...kf.keyframes.map((k) => k.time)) : from;
  const [records, recordsMs] = await timed(() =>
    readAllLines(run, recordsExpr(opts.selector), start - MAX_SKEW_MS, to, opts.pages)
  );
  const [heads, headsMs] = await timed(() =>
    readAllLines(run, keyframeHeadsExpr(opts.selector), start, to, opts.pages)
  );
  const keyframeRows = kf.keyframes.flatMap((k) => k.rows);
  const rows = [...keyframeRows, ...records.rows].sort((a, b) => a.ms - b.ms);
  const frames = [linesFrame(opts.refId, rows), linesFrame(KEYFRAME_HEADS_REF, heads.rows)];
  const cuts = [...kf.cuts, ...records.cuts, ...heads.cuts];
  let queries = kf.queries + records.queries + heads.queries;
  let flowsMs = 0;
  if (opts.flows) {
    const flows = opts.flows;
    const a = performance.now();
    try {
      const f = await queryRangeSized(flows.run, flowsExpr, from, to, flows.bins, flows.refId);
      frames.push(...f.frames);
      cuts.push(...f.cuts);
      queries += f.queries;
    } catch (e) {
      cuts.push({ from, to, reason: `flow rates not shown: ${e instanceof Error ? e.message : String(e)}` });
      queries++;
    }
    flowsMs = performance.now() - a;
  }
  return {
    from,
    to,
    start,
    frames,
    cuts,
    stats: {
      queries,
      lines: rows.length,
      ms: { keyframes: kfMs, records: recordsMs, heads: headsMs, flows: flowsMs, total: performance.now() - began },
    },
    readAt,
    rows,
  };
}
