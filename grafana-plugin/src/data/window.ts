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
  queries: number;
  lines: number;
  /** when its records were read (records stamped after this, minus the ingest delay, may be missing) */
  readAt: number;
  rows: LogRow[];
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
  const kf = await findKeyframes(run, opts.selector, from, opts.keyframes);
  const start = kf.keyframes.length > 0 ? Math.min(...kf.keyframes.map((k) => k.time)) : from;
  const records = await readAllLines(run, recordsExpr(opts.selector), start - MAX_SKEW_MS, to, opts.pages);
  const heads = await readAllLines(run, keyframeHeadsExpr(opts.selector), start, to, opts.pages);
  const keyframeRows = kf.keyframes.flatMap((k) => k.rows);
  const rows = [...keyframeRows, ...records.rows].sort((a, b) => a.ms - b.ms);
  const frames = [linesFrame(opts.refId, rows), linesFrame(KEYFRAME_HEADS_REF, heads.rows)];
  const cuts = [...kf.cuts, ...records.cuts, ...heads.cuts];
  let queries = kf.queries + records.queries + heads.queries;
  if (opts.flows) {
    try {
      const f = await queryRangeSized(opts.flows.run, flowsExpr, from, to, opts.flows.bins, opts.flows.refId);
      frames.push(...f.frames);
      cuts.push(...f.cuts);
      queries += f.queries;
    } catch (e) {
      cuts.push({ from, to, problem: { kind: 'flows-not-shown', error: e instanceof Error ? e.message : String(e) } });
      queries++;
    }
  }
  return {
    from,
    to,
    start,
    frames,
    cuts,
    queries,
    lines: rows.length,
    readAt,
    rows,
  };
}
