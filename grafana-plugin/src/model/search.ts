/** Binary searches over sorted numbers (times): the one implementation the model uses. */

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
