import { logRows, LogRow } from './logRows';
import { Cut } from './cuts';
import { QueryRunner } from './query';

/** Loki's default max_entries_limit_per_query: a larger limit is refused, not truncated. */
export const LOKI_MAX_LINES = 5000;

export interface PageResult {
  rows: LogRow[];
  queries: number;
  cuts: Cut[];
}

export interface PageOptions {
  limit?: number;
  /** stop after this many queries and say what was not read */
  maxPages?: number;
}

/** the record's envelope `seq` (NaN for a line that is not a contract record) */
function seqOf(r: LogRow): number {
  try {
    const seq = (JSON.parse(r.line) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : NaN;
  } catch {
    return NaN;
  }
}

/** One millisecond holding more lines than a query returns: split by `hmx_seq` (structured metadata; one
 * emitter's records are consecutive) until every part fits a page. Lines that cannot be split apart
 * (several emitters with one seq in one ms, more than a page of them) are a cut. */
async function readMillisecond(
  run: QueryRunner,
  expr: string,
  ms: number,
  limit: number,
  budget: number
): Promise<PageResult> {
  const rows: LogRow[] = [];
  const cuts: Cut[] = [];
  const todo: Array<[number, number]> = [[0, Infinity]];
  let queries = 0;
  while (todo.length > 0) {
    const [lo, hi] = todo.pop()!;
    if (queries >= budget) {
      cuts.push({
        from: ms,
        to: ms + 1,
        problem: { kind: 'millisecond-over-budget', limit },
      });
      break;
    }
    queries++;
    const q = `${expr}${lo > 0 ? ` | hmx_seq >= ${lo}` : ''}${hi < Infinity ? ` | hmx_seq < ${hi}` : ''}`;
    const page = logRows(
      (
        await run(
          { refId: 'hmx-lines', expr: q, queryType: 'range', maxLines: limit, direction: 'forward' },
          ms,
          ms + 1
        )
      ).data
    );
    if (page.length < limit) {
      rows.push(...page);
      continue;
    }
    const seqs = page
      .map(seqOf)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    // split where it makes progress: the median, else just past the smallest or the largest seen
    const mid = seqs[seqs.length >> 1];
    const at =
      mid > lo && mid < hi
        ? mid
        : seqs[0] > lo
          ? seqs[0]
          : seqs[seqs.length - 1] + 1 < hi
            ? seqs[seqs.length - 1] + 1
            : undefined;
    if (seqs.length === 0 || at === undefined) {
      cuts.push({
        from: ms,
        to: ms + 1,
        problem: { kind: 'millisecond-shared-seq', limit },
      });
      rows.push(...page);
      continue;
    }
    todo.push([at, hi], [lo, at]);
  }
  const bySeq = rows.map((r) => [seqOf(r), r] as const).sort((a, b) => a[0] - b[0]);
  return { rows: bySeq.map(([, r]) => r), queries, cuts };
}

/** Every line of `expr` in [from, to), oldest first: a query returning as many lines as its limit is
 * continued from its last millisecond (Grafana ranges are whole ms; the lines of that ms already read are
 * skipped); a millisecond holding more lines than the limit is read by seq ranges. The page budget
 * running out is reported as a cut. */
export async function readAllLines(
  run: QueryRunner,
  expr: string,
  from: number,
  to: number,
  opts: PageOptions = {}
): Promise<PageResult> {
  const limit = opts.limit ?? LOKI_MAX_LINES;
  const maxPages = opts.maxPages ?? 50;
  const rows: LogRow[] = [];
  const cuts: Cut[] = [];
  let cursor = from;
  let boundary = new Set<string>();
  let queries = 0;
  while (cursor < to) {
    if (queries >= maxPages) {
      cuts.push({ from: cursor, to, problem: { kind: 'pages-exhausted', maxPages, limit } });
      break;
    }
    queries++;
    const rsp = await run(
      { refId: 'hmx-lines', expr, queryType: 'range', maxLines: limit, direction: 'forward' },
      cursor,
      to
    );
    const page = logRows(rsp.data).sort((a, b) => a.ms - b.ms);
    for (const r of page) {
      if (!(r.ms === cursor && boundary.has(r.tsNs + r.line))) {
        rows.push(r);
      }
    }
    if (page.length < limit) {
      break;
    }
    const last = page[page.length - 1].ms;
    if (last === cursor) {
      // the whole page is one millisecond: read it whole by seq ranges, then go on after it
      const one = await readMillisecond(run, expr, cursor, limit, maxPages - queries);
      const at = cursor;
      const kept = rows.filter((r) => r.ms !== at);
      rows.length = 0;
      rows.push(...kept, ...one.rows);
      cuts.push(...one.cuts);
      queries += one.queries;
      cursor += 1;
      boundary = new Set();
      continue;
    }
    cursor = last;
    boundary = new Set(page.filter((r) => r.ms === last).map((r) => r.tsNs + r.line));
  }
  return { rows, queries, cuts };
}
