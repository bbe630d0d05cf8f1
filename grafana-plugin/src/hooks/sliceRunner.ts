import { Steps } from '../model/steps';

export interface SliceOptions {
  /** steps run back to back until this much time passed, then the page gets the thread back */
  sliceMs: number;
  now: () => number;
  /** runs the next slice later (a macrotask, so frames are drawn in between) */
  schedule: (run: () => void) => () => void;
}

const defaults: SliceOptions = {
  sliceMs: 6,
  now: () => performance.now(),
  schedule: (run) => {
    const id = setTimeout(run, 0);
    return () => clearTimeout(id);
  },
};

/** `steps` run in the background, a slice at a time; or the rest at once. */
export class SlicedRun<T> {
  private result?: { value: T } | { error: unknown };
  private unschedule?: () => void;
  private readonly o: SliceOptions;

  /** `onDone` runs once the last step ran in a slice (not when `finishNow` ran it). */
  constructor(
    private readonly steps: Steps<T>,
    private readonly onDone: () => void,
    o: Partial<SliceOptions> = {}
  ) {
    this.o = { ...defaults, ...o };
    this.unschedule = this.o.schedule(this.slice);
  }

  get done(): boolean {
    return this.result !== undefined;
  }

  /** The value, running the steps left at once if there are any; throws what the steps threw. */
  finishNow(): T {
    this.cancel();
    while (!this.result) {
      this.step();
    }
    if ('error' in this.result) {
      throw this.result.error;
    }
    return this.result.value;
  }

  /** Stops scheduling slices (the steps are not run further unless `finishNow` is called). */
  cancel(): void {
    this.unschedule?.();
    this.unschedule = undefined;
  }

  private step(): void {
    try {
      const r = this.steps.next();
      if (r.done) {
        this.result = { value: r.value };
      }
    } catch (error) {
      this.result = { error };
    }
  }

  private slice = () => {
    this.unschedule = undefined;
    const end = this.o.now() + this.o.sliceMs;
    do {
      this.step();
    } while (!this.result && this.o.now() < end);
    if (this.result) {
      this.onDone();
    } else {
      this.unschedule = this.o.schedule(this.slice);
    }
  };
}
