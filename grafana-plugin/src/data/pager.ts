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

/** [lo, hi) of seqs as LogQL filters on the structured-metadata `hmx_seq` */
function seqRange(expr: string, lo: number, hi: number): string {
  return `${expr}${lo > 0 ? ` | hmx_seq >= ${lo}` : ''}${hi < Infinity ? ` | hmx_seq < ${hi}` : ''}`;
}

/** Seq ranges that cover every seq and, for one emitter (its records in a millisecond have consecutive seqs), hold
 * fewer than `limit` lines each: the seqs seen at both ends of the millisecond, in steps of limit - 1, the first and
 * last range open-ended for seqs outside them. */
export function seqRanges(seqs: number[], limit: number): Array<[number, number]> {
  const lo = seqs.reduce((m, x) => Math.min(m, x), Infinity);
  const hi = seqs.reduce((m, x) => Math.max(m, x), -Infinity);
  const step = Math.max(1, limit - 1);
  const k = Math.max(1, Math.ceil((hi - lo + 1) / step));
  return Array.from({ length: k }, (_, i) => [
    i === 0 ? 0 : lo + i * step,
    i === k - 1 ? Infinity : lo + (i + 1) * step,
  ]);
}

/** Where to split a full seq range [lo, hi) so both halves are smaller: the page's median seq, else just past the
 * smallest or the largest seen (undefined: the page's lines share one seq). */
function splitAt(page: LogRow[], lo: number, hi: number): number | undefined {
  const seqs = page
    .map(seqOf)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (seqs.length === 0) {
    return undefined;
  }
  const mid = seqs[seqs.length >> 1];
  return mid > lo && mid < hi
    ? mid
    : seqs[0] > lo
      ? seqs[0]
      : seqs[seqs.length - 1] + 1 < hi
        ? seqs[seqs.length - 1] + 1
        : undefined;
}

/** One millisecond holding more lines than a query returns (`first`: its first page, already read): its last page
 * gives the seq extent, which is split up front into ranges that each fit a page (one emitter's records are
 * consecutive), all read at once; a range still full (several emitters in one ms) is split again at its median.
 * Lines that cannot be split apart (several emitters with one seq in one ms, more than a page of them) are a cut. */
async function readMillisecond(
  run: QueryRunner,
  expr: string,
  ms: number,
  limit: number,
  budget: number,
  first: LogRow[]
): Promise<PageResult> {
  const page = async (q: string, direction: 'forward' | 'backward') =>
    logRows(
      (await run({ refId: 'hmx-lines', expr: q, queryType: 'range', maxLines: limit, direction }, ms, ms + 1)).data
    );
  const rows: LogRow[] = [];
  const cuts: Cut[] = [];
  const shared = () =>
    cuts.push({
      from: ms,
      to: ms + 1,
      problem: { kind: 'millisecond-shared-seq', limit },
    });
  const outOfBudget = () =>
    cuts.push({
      from: ms,
      to: ms + 1,
      problem: { kind: 'millisecond-over-budget', limit },
    });
  let queries = 0;
  let todo: Array<[number, number]> = [];
  if (budget <= 0) {
    outOfBudget();
    rows.push(...first);
  } else {
    queries++;
    const seqs = [...first, ...(await page(expr, 'backward'))].map(seqOf).filter(Number.isFinite);
    if (seqs.length > 0) {
      todo = seqRanges(seqs, limit);
    } else {
      shared();
      rows.push(...first);
    }
  }
  while (todo.length > 0) {
    const now = todo.slice(0, Math.max(0, budget - queries));
    if (now.length < todo.length) {
      outOfBudget();
    }
    queries += now.length;
    const pages = await Promise.all(now.map(([lo, hi]) => page(seqRange(expr, lo, hi), 'forward')));
    todo = [];
    pages.forEach((got, i) => {
      const [lo, hi] = now[i];
      const at = got.length < limit ? undefined : splitAt(got, lo, hi);
      if (got.length < limit) {
        rows.push(...got);
      } else if (at === undefined) {
        shared();
        rows.push(...got);
      } else {
        todo.push([lo, at], [at, hi]);
      }
    });
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
      const one = await readMillisecond(run, expr, cursor, limit, maxPages - queries, page);
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
