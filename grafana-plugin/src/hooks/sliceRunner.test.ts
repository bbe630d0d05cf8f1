import { Steps } from '../model/steps';
import { SlicedRun } from './sliceRunner';
import { manualSlices } from '../fixtures/slices';

function* counted(n: number, log: number[], fail?: string): Steps<number> {
  for (let i = 0; i < n; i++) {
    log.push(i);
    yield;
  }
  if (fail) {
    throw new Error(fail);
  }
  return n;
}

describe('SlicedRun', () => {
  it('runs the steps a slice at a time, within the slice time, and says when the last one ran', () => {
    const m = manualSlices(3);
    const log: number[] = [];
    let done = 0;
    const run = new SlicedRun(counted(10, log), () => done++, m.options);
    expect(log).toEqual([]);
    m.run(1);
    // one reading for the slice's end, then one per step: 3 steps fit in 3 ms
    expect(log).toEqual([0, 1, 2]);
    expect(run.done).toBe(false);
    m.run();
    expect(run.done).toBe(true);
    expect(done).toBe(1);
    expect(run.finishNow()).toBe(10);
  });

  it('finishNow runs the steps left at once and no slice after it', () => {
    const m = manualSlices(3);
    const log: number[] = [];
    let done = 0;
    const run = new SlicedRun(counted(10, log), () => done++, m.options);
    m.run(1);
    expect(run.finishNow()).toBe(10);
    expect(log).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(m.queue).toEqual([]);
    expect(done).toBe(0);
  });

  it('a step that throws ends the run; finishNow throws it', () => {
    const m = manualSlices(3);
    let done = 0;
    const run = new SlicedRun(counted(2, [], 'bad keyframe'), () => done++, m.options);
    m.run();
    expect(done).toBe(1);
    expect(() => run.finishNow()).toThrow('bad keyframe');
  });

  it('cancel stops scheduling slices', () => {
    const m = manualSlices(3);
    const log: number[] = [];
    const run = new SlicedRun(counted(10, log), () => undefined, m.options);
    m.run(1);
    run.cancel();
    expect(m.queue).toEqual([]);
    expect(run.done).toBe(false);
    expect(log).toEqual([0, 1, 2]);
  });
});
