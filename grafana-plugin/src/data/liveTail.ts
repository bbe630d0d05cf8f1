import { Cut } from './cuts';
import { LogRow } from './logRows';
import { readAllLines } from './pager';
import { QueryRunner } from './query';

/** each poll re-reads this far back, so a record that reaches Loki late (OTel batching, a retry) is not
 * missed; what was already returned is skipped */
const OVERLAP_MS = 10_000;

const key = (r: LogRow) => r.tsNs + r.line;

/** Live mode: the newest records since the last poll (one query a poll unless more than a page arrived). */
export class LiveTail {
  private newest: number;
  private seen = new Map<string, number>();

  /** `known`: rows already shown (the loaded window), skipped when read again */
  constructor(
    private readonly run: QueryRunner,
    private readonly expr: string,
    from: number,
    known: LogRow[] = []
  ) {
    this.newest = from;
    for (const r of known) {
      if (r.ms >= from - OVERLAP_MS) {
        this.seen.set(key(r), r.ms);
      }
    }
  }

  /** Rows stored in [newest - overlap, now], each returned once across polls. */
  async poll(now: number): Promise<{ rows: LogRow[]; cuts: Cut[] }> {
    const from = this.newest - OVERLAP_MS;
    if (now < from) {
      return { rows: [], cuts: [] };
    }
    const got = await readAllLines(this.run, this.expr, from, now + 1);
    const rows = got.rows.filter((r) => !this.seen.has(key(r)));
    for (const r of rows) {
      this.seen.set(key(r), r.ms);
      this.newest = Math.max(this.newest, r.ms);
    }
    for (const [k, ms] of this.seen) {
      if (ms < this.newest - OVERLAP_MS) {
        this.seen.delete(k);
      }
    }
    return { rows, cuts: got.cuts };
  }
}
