import { seqRanges } from './pager';

describe('seqRanges: one millisecond split up front by hmx_seq', () => {
  it('covers every seq, open-ended at both ends, each range under a page for one emitter', () => {
    // 10,100 records of one emitter in one ms (seqs 1..10,100), 5,000 lines a page
    const r = seqRanges([1, 5000, 5101, 10_100], 5000);
    expect(r).toEqual([
      [0, 5000],
      [5000, 9999],
      [9999, Infinity],
    ]);
    // consecutive and gap-free
    r.slice(1).forEach(([lo], i) => expect(lo).toBe(r[i][1]));
    // one emitter's seqs 1..10,100: fewer than 5,000 in each
    const count = ([lo, hi]: [number, number]) => Math.max(0, Math.min(hi, 10_101) - Math.max(lo, 1));
    expect(r.map(count)).toEqual([4999, 4999, 102]);
  });

  it('one range when the seqs seen fit a page', () => {
    expect(seqRanges([7, 9], 20)).toEqual([[0, Infinity]]);
  });
});
