/** A computation split into steps: each `yield` is a point where it may pause (to let the page draw a frame)
 * and resume later with nothing changed. Run at once with `finish`, or in slices by a scheduler. */
export type Steps<T> = Generator<void, T, void>;

/** Runs the remaining steps at once. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) {
      return r.value;
    }
  }
}
