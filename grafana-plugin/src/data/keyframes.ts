import { Cut } from './cuts';
import { groupKeyframes, isComplete, KeyframeGroup } from './keyframeParts';
import { logRows, LogRow } from './logRows';
import { QueryRunner } from './query';

export interface KeyframeLookup {
  /** the newest complete keyframe at or before t, per keyframe emitter */
  keyframes: KeyframeGroup[];
  queries: number;
  cuts: Cut[];
}

export interface KeyframeOptions {
  /** lines per backward query (keyframe parts are ≤ 64 KiB each) */
  limit?: number;
  /** how far back the spans reach, growing: the first spans cover a few keyframe intervals */
  spans?: number[];
}

const HOUR = 3_600_000;
/** 1 h, then 6 h, 1 d and 7 d before t: a seek needs one query when keyframes are where they should be */
export const DEFAULT_SPANS = [HOUR, 6 * HOUR, 24 * HOUR, 7 * 24 * HOUR];

const iso = (ms: number) => new Date(ms).toISOString();

/** Finds the newest complete keyframe at or before t, reading backward from t in growing spans. A
 * keyframe with a part missing is never used: it is named in a cut and the search goes on to an older,
 * complete one. Parts of the oldest keyframe on a full page may be just past the page, so that keyframe
 * is judged only after the next page. */
export async function findKeyframes(run: QueryRunner, expr: string, t: number, opts: KeyframeOptions = {}): Promise<KeyframeLookup> {
  const limit = opts.limit ?? 200;
  const spans = opts.spans ?? DEFAULT_SPANS;
  const cuts: Cut[] = [];
  const rows: LogRow[] = [];
  const seen = new Set<string>();
  let queries = 0;
  // Grafana ranges are [from, to) in whole ms: t + 1 includes keyframes stamped exactly at t
  let end = t + 1;
  let spanIdx = 0;
  while (spanIdx < spans.length) {
    const start = Math.min(end - 1, t + 1 - spans[spanIdx]);
    queries++;
    const rsp = await run({ refId: 'hmx-keyframes', expr, queryType: 'range', maxLines: limit, direction: 'backward' }, start, end);
    const page = logRows(rsp.data);
    for (const r of page) {
      if (!seen.has(r.tsNs + r.line)) {
        seen.add(r.tsNs + r.line);
        rows.push(r);
      }
    }
    const full = page.length >= limit;
    // what lies before `judgedBefore` may still be missing parts that are just past this page
    const judgedBefore = full ? Math.min(...page.map((r) => r.ms)) : start;
    const { groups } = groupKeyframes(rows);
    const judged = groups.filter((g) => g.time > judgedBefore || !full);
    const complete = judged.filter(isComplete);
    if (complete.length > 0) {
      const newest = complete[0].time;
      for (const g of judged) {
        if (!isComplete(g) && g.time > newest) {
          cuts.push({ from: g.time, to: t, reason: `keyframe of ${g.emitter} at ${iso(g.time)} is incomplete (${g.present.size} of ${g.count} parts stored); state rebuilt from the complete keyframe at ${iso(newest)} and the records after it` });
        }
      }
      // one per emitter: the newest complete one
      const perEmitter = new Map<string, KeyframeGroup>();
      for (const g of complete) {
        if (!perEmitter.has(g.emitter)) {
          perEmitter.set(g.emitter, g);
        }
      }
      return { keyframes: [...perEmitter.values()], queries, cuts };
    }
    if (full && judgedBefore + 1 < end) {
      end = judgedBefore + 1;
    } else if (full) {
      // more keyframe lines in one millisecond than a page holds: skip past it (named if it stays incomplete)
      end = judgedBefore;
    } else {
      end = start;
      spanIdx++;
    }
  }
  const oldest = t + 1 - spans[spans.length - 1];
  const { groups } = groupKeyframes(rows);
  for (const g of groups) {
    cuts.push({ from: g.time, to: t, reason: `keyframe of ${g.emitter} at ${iso(g.time)} is incomplete (${g.present.size} of ${g.count} parts stored)` });
  }
  cuts.push({ from: oldest, to: t, reason: 'no complete keyframe stored in this span: entities that existed before it and did not change are not shown' });
  return { keyframes: [], queries, cuts };
}
