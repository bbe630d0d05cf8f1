import { Cut } from './cuts';
import { groupKeyframes, isComplete, KeyframeGroup } from './keyframeParts';
import { logRows, LogRow } from './logRows';
import { keyframeExpr, keyframeHeadsExpr } from './exprs';
import { readAllLines } from './pager';
import { QueryRunner } from './query';

export interface KeyframeLookup {
  /** the newest complete keyframe at or before t, per keyframe emitter */
  keyframes: KeyframeGroup[];
  queries: number;
  cuts: Cut[];
}

export interface KeyframeOptions {
  /** keyframe heads per backward query (one head per keyframe: part 0, ≤ 64 KiB) */
  limit?: number;
  /** how far back the spans reach, growing: the first covers a few keyframe intervals and is paged through whole;
   * each later one is read one page only (its newest heads), so a lookup costs one query per span */
  spans?: number[];
}

const HOUR = 3_600_000;
/** 1 h, then 7 d before t: one heads query when keyframes are where they should be, two when the last hour has none
 * (the start of the history, a collector down for a while) */
export const DEFAULT_SPANS = [HOUR, 7 * 24 * HOUR];
/** fallbacks to an older keyframe per emitter before giving up on it */
const MAX_ROUNDS = 4;

/** A LogQL string literal holding a regular expression that matches exactly one of `ids`. */
function anyOf(ids: string[]): string {
  const re = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return JSON.stringify(re);
}

/** The keyframe heads (part 0s) of the nearest span before t: which keyframes exist, before their parts are read. */
export interface KeyframeHeads {
  t: number;
  rows: LogRow[];
  queries: number;
  /** the oldest time the lookup reached */
  reached: number;
}

/** Keyframe heads (part 0s) in [t + 1 - span, t + 1), newest span first, paged backward: the heads of the first span
 * that holds any (of a later span, its newest page). */
export async function readKeyframeHeads(
  run: QueryRunner,
  selector: string,
  t: number,
  opts: KeyframeOptions = {}
): Promise<KeyframeHeads> {
  const limit = opts.limit ?? 200;
  const spans = opts.spans ?? DEFAULT_SPANS;
  const rows: LogRow[] = [];
  const seen = new Set<string>();
  let queries = 0;
  // Grafana ranges are [from, to) in whole ms: t + 1 includes keyframes stamped exactly at t
  let end = t + 1;
  for (const [k, span] of spans.entries()) {
    let start = Math.min(end - 1, t + 1 - span);
    for (;;) {
      queries++;
      const page = logRows(
        (
          await run(
            {
              refId: 'hmx-keyframes',
              expr: keyframeHeadsExpr(selector),
              queryType: 'range',
              maxLines: limit,
              direction: 'backward',
            },
            start,
            end
          )
        ).data
      );
      for (const r of page) {
        if (!seen.has(r.tsNs + r.line)) {
          seen.add(r.tsNs + r.line);
          rows.push(r);
        }
      }
      if (page.length < limit) {
        break;
      }
      // a full page: go on before its oldest millisecond (read again, its lines are skipped), or past it if it filled
      // the whole page (more keyframe heads in one ms than a page: the rest of that ms is not read)
      const oldest = Math.min(...page.map((r) => r.ms));
      if (k > 0) {
        // a wider span: its newest page says which keyframes are nearest; the lookup reached its oldest ms
        start = oldest;
        break;
      }
      end = oldest + 1 < end ? oldest + 1 : oldest;
      if (end <= start) {
        break;
      }
    }
    if (rows.length > 0) {
      return { t, rows, queries, reached: start };
    }
    end = start;
  }
  return { t, rows, queries, reached: t + 1 - spans[spans.length - 1] };
}

/** Per emitter, its keyframes named by the heads, newest first (groups of the heads alone: one row each). */
function candidatesOf(heads: KeyframeHeads): Map<string, KeyframeGroup[]> {
  const candidates = new Map<string, KeyframeGroup[]>();
  for (const g of groupKeyframes(heads.rows).groups) {
    candidates.set(g.emitter, [...(candidates.get(g.emitter) ?? []), g]);
  }
  return candidates;
}

/** Where the records start if every emitter's newest keyframe in the heads is complete (the usual case): the oldest
 * of those, or t when there is none. Known before any part is read. */
export function likelyStart(heads: KeyframeHeads): number {
  const newest = [...candidatesOf(heads).values()].map((list) => list[0].time);
  return newest.length > 0 ? Math.min(...newest) : heads.t;
}

/**
 * Finds, for every collector that stored a keyframe in the nearest span before t, its newest complete keyframe at or
 * before t (contract revision 1.2: each emitter's state starts from its own keyframe). The heads (part 0s) say which
 * keyframes exist; one query then reads the parts of the newest one of every emitter by `hmx_keyframe_id`. A keyframe
 * with a part missing is never used: it is named in a cut and that emitter's next older keyframe is tried.
 */
export async function findKeyframes(
  run: QueryRunner,
  selector: string,
  t: number,
  opts: KeyframeOptions = {}
): Promise<KeyframeLookup> {
  return chooseKeyframes(run, selector, await readKeyframeHeads(run, selector, t, opts));
}

/** findKeyframes once the heads are read: the parts of each emitter's newest keyframe, older ones where one is
 * incomplete. */
export async function chooseKeyframes(
  run: QueryRunner,
  selector: string,
  heads: KeyframeHeads
): Promise<KeyframeLookup> {
  const { t } = heads;
  let queries = heads.queries;
  const cuts: Cut[] = [];
  const candidates = candidatesOf(heads);
  const chosen: KeyframeGroup[] = [];
  const incomplete = new Map<string, KeyframeGroup[]>();
  for (let round = 0; round < MAX_ROUNDS && candidates.size > 0; round++) {
    const wanted = [...candidates.values()].map((list) => list[0]);
    const parted = wanted.filter((g) => g.count > 1);
    const parts = new Map<string, KeyframeGroup>();
    if (parted.length > 0) {
      const ids = parted.map((g) => g.partId!);
      const from = Math.min(...parted.map((g) => g.time));
      const to = Math.max(...parted.map((g) => g.time)) + 1;
      const got = await readAllLines(run, `${keyframeExpr(selector)} | hmx_keyframe_id=~${anyOf(ids)}`, from, to);
      queries += got.queries;
      cuts.push(...got.cuts);
      for (const g of groupKeyframes(got.rows).groups) {
        parts.set(`${g.emitter}\u0000${g.partId}`, g);
      }
    }
    for (const w of wanted) {
      const full = w.count > 1 ? (parts.get(`${w.emitter}\u0000${w.partId}`) ?? w) : w;
      const rest = candidates.get(w.emitter)!.slice(1);
      if (isComplete(full)) {
        chosen.push(full);
        candidates.delete(w.emitter);
      } else {
        incomplete.set(w.emitter, [...(incomplete.get(w.emitter) ?? []), full]);
        if (rest.length > 0) {
          candidates.set(w.emitter, rest);
        } else {
          candidates.delete(w.emitter);
        }
      }
    }
  }
  for (const [emitter, lost] of incomplete) {
    const rebuiltFrom = chosen.find((g) => g.emitter === emitter)?.time;
    for (const g of lost) {
      const problem = { kind: 'stored-keyframe-incomplete' as const, emitter: g.emitter, time: g.time, rebuiltFrom };
      cuts.push({ from: g.time, to: t, problem: { ...problem, present: g.present.size, count: g.count } });
    }
  }
  if (chosen.length === 0) {
    cuts.push({
      from: heads.reached,
      to: t,
      problem: { kind: 'no-complete-keyframe' },
    });
  }
  return { keyframes: chosen.sort((a, b) => b.time - a.time), queries, cuts };
}
