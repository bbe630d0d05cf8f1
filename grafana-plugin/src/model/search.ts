/** Binary searches over sorted numbers (times) and monotone predicates: the one implementation the panel uses. */

type Sorted = ArrayLike<number>;

/** Index of the first element of a[0..n) that is > t (n when none is). */
export function upperBound(a: Sorted, t: number, n = a.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Index of the first element of a[0..n) that is ≥ t (n when none is). */
export function lowerBound(a: Sorted, t: number, n = a.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** The largest i in [lo, hi] for which ok(i) holds, where ok holds up to some point and not after; ok(lo) is
 * not asked (lo when nothing above it passes). */
export function lastPassing(lo: number, hi: number, ok: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ok(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}
