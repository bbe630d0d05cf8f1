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

/** Every line of `expr` in [from, to), oldest first: a query returning as many lines as its limit is
 * continued from its last millisecond (Grafana ranges are whole ms; the lines of that ms already read are
 * skipped). A millisecond holding more lines than the limit, or the page budget, is reported as a cut. */
export async function readAllLines(run: QueryRunner, expr: string, from: number, to: number, opts: PageOptions = {}): Promise<PageResult> {
  const limit = opts.limit ?? LOKI_MAX_LINES;
  const maxPages = opts.maxPages ?? 50;
  const rows: LogRow[] = [];
  const cuts: Cut[] = [];
  let cursor = from;
  let boundary = new Set<string>();
  let queries = 0;
  while (cursor < to) {
    if (queries >= maxPages) {
      cuts.push({ from: cursor, to, reason: `not read: more than ${maxPages} pages of ${limit} lines` });
      break;
    }
    queries++;
    const rsp = await run({ refId: 'hmx-lines', expr, queryType: 'range', maxLines: limit, direction: 'forward' }, cursor, to);
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
      cuts.push({ from: cursor, to: cursor + 1, reason: `more than ${limit} lines in one millisecond; the rest of that millisecond is not shown` });
      cursor += 1;
      boundary = new Set();
      continue;
    }
    cursor = last;
    boundary = new Set(page.filter((r) => r.ms === last).map((r) => r.tsNs + r.line));
  }
  return { rows, queries, cuts };
}
