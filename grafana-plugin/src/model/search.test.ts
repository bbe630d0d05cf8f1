import { lastPassing, lowerBound, upperBound } from './search';

describe('binary searches', () => {
  const a = Float64Array.from([1, 2, 2, 2, 5]);
  it('upperBound: first index > t, over a prefix when n is given', () => {
    expect([0, 1, 2, 3, 5, 9].map((t) => upperBound(a, t))).toEqual([0, 1, 4, 4, 5, 5]);
    expect(upperBound(a, 9, 3)).toBe(3);
  });
  it('lowerBound: first index ≥ t', () => {
    expect([0, 1, 2, 3, 5, 9].map((t) => lowerBound(a, t))).toEqual([0, 0, 1, 4, 4, 5]);
    expect(lowerBound([], 1)).toBe(0);
  });
  it('lastPassing: largest index a monotone predicate holds for, lo when none above it does', () => {
    expect([0, 3, 7, 10].map((k) => lastPassing(0, 10, (i) => i <= k))).toEqual([0, 3, 7, 10]);
    expect(lastPassing(0, 10, () => false)).toBe(0);
    expect(lastPassing(4, 4, () => true)).toBe(4);
  });
});
