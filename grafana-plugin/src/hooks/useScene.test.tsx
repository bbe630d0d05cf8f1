// The scene of the window the playhead reaches next, built ahead in slices: the same scene a build at once gives,
// taken without building when the playhead gets there, and never a wrong one while its last slices are still to run.
import React from 'react';
import { act, renderHook } from '@testing-library/react';
import { DataFrame } from '@grafana/data';
import { generateHistory } from '../fixtures/history';
import { linesFrame } from '../data/window';
import * as sceneModule from '../model/scene';
import { Scene } from '../model/scene';
import { defaultOptions } from '../types';
import { useScene } from './useScene';
import { manualSlices } from '../fixtures/slices';

jest.mock('../model/scene', () => {
  const actual = jest.requireActual('../model/scene');
  return { ...actual, buildScene: jest.fn(actual.buildScene) };
});
const buildAtOnce = sceneModule.buildScene as jest.MockedFunction<typeof sceneModule.buildScene>;
const { buildScene } = jest.requireActual('../model/scene') as typeof sceneModule;

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const h = generateHistory({
  seed: 5,
  now: NOW,
  durationMs: 3 * HOUR,
  nodes: 4,
  actorsPerNode: 6,
  changesPerHour: 400,
  keyframeMs: HOUR,
  partSize: 8,
});
const from = NOW - 3 * HOUR;
/** the stored frames of window i as the loader gives them: its keyframe's parts and records */
const windowFrames = (i: number): DataFrame[] => [
  linesFrame(
    'events',
    h.records
      .filter((r) => r.ms >= from + i * HOUR && r.ms < from + (i + 1) * HOUR)
      .map((r) => ({ ms: r.ms, tsNs: `${r.ms}000000`, line: r.line }))
  ),
];
const o = { ...defaultOptions };

/** a scene without its build timings (the one thing two builds of the same input differ in) */
const facts = (s: Scene | Error) => {
  expect(s).not.toBeInstanceOf(Error);
  const scene = s as Scene;
  return { ...scene, index: { ...scene.index, buildStats: {} } };
};

/** slices run only when the test says so (inside act: a finished build re-renders), one step each */
function slicesInAct() {
  const m = manualSlices(0);
  const run = (n?: number) => {
    let ran = 0;
    act(() => {
      ran = m.run(n);
    });
    return ran;
  };
  return { options: m.options, run };
}

interface P {
  series: DataFrame[];
  next: DataFrame[] | undefined;
  wait: boolean;
}

function start(slices: ReturnType<typeof slicesInAct>, strict = false) {
  const [a, b] = [windowFrames(0), windowFrames(1)];
  const hook = renderHook((p: P) => useScene(p.series, o, from, NOW, p.next, p.wait, slices.options), {
    initialProps: { series: a, next: b, wait: true } as P,
    ...(strict ? { wrapper: React.StrictMode } : {}),
  });
  const first = hook.result.current.scene as Scene;
  // what a build at once of the next window gives, from the same previous layout
  const expected = facts(buildScene(b, o, from, NOW, first.layout));
  return { hook, a, b, first, expected };
}

describe('useScene: the next window built ahead in slices', () => {
  beforeEach(() => buildAtOnce.mockClear());

  it('is the scene a build at once gives, and reaching it builds nothing', () => {
    const slices = slicesInAct();
    const { hook, b, expected } = start(slices);
    expect(buildAtOnce).toHaveBeenCalledTimes(1);
    // pauses between the lines, the index's phases, the layout, the edges
    expect(slices.run()).toBeGreaterThan(5);
    // the loaded window's frames are a new array of the same frames
    hook.rerender({ series: [...b], next: undefined, wait: true });
    expect(hook.result.current.pending).toBe(false);
    expect(facts(hook.result.current.scene)).toEqual(expected);
    // the live rows reset when a window loads: another new array of the same frames
    hook.rerender({ series: [...b], next: undefined, wait: true });
    expect(buildAtOnce).toHaveBeenCalledTimes(1);
  });

  it('survives React strict mode mounting effects twice (the build ahead is started again, not left cancelled)', () => {
    const slices = slicesInAct();
    const { hook, b, expected } = start(slices, true);
    expect(slices.run()).toBeGreaterThan(5);
    hook.rerender({ series: [...b], next: undefined, wait: true });
    expect(hook.result.current.pending).toBe(false);
    expect(facts(hook.result.current.scene)).toEqual(expected);
  });

  it('reached before its last slice ran: keeps the scene shown before, dimmed, then swaps to the exact one', () => {
    const slices = slicesInAct();
    const { hook, b, first, expected } = start(slices);
    slices.run(3);
    hook.rerender({ series: [...b], next: undefined, wait: true });
    expect(hook.result.current.pending).toBe(true);
    expect(hook.result.current.scene).toBe(first);
    slices.run();
    expect(hook.result.current.pending).toBe(false);
    expect(facts(hook.result.current.scene)).toEqual(expected);
    expect(buildAtOnce).toHaveBeenCalledTimes(1);
  });

  it('reached while paused before its last slice ran: the rest runs at once', () => {
    const slices = slicesInAct();
    const { hook, b, expected } = start(slices);
    slices.run(3);
    hook.rerender({ series: [...b], next: undefined, wait: false });
    expect(hook.result.current.pending).toBe(false);
    expect(facts(hook.result.current.scene)).toEqual(expected);
    expect(slices.run()).toBe(0);
  });

  it('is not taken when the shown scene changed since it was started (another previous layout)', () => {
    const slices = slicesInAct();
    const { hook, b } = start(slices);
    slices.run();
    const other = windowFrames(2);
    hook.rerender({ series: other, next: undefined, wait: true });
    const shown = hook.result.current.scene as Scene;
    hook.rerender({ series: [...b], next: undefined, wait: true });
    expect(buildAtOnce).toHaveBeenCalledTimes(3);
    expect(facts(hook.result.current.scene)).toEqual(facts(buildScene(b, o, from, NOW, shown.layout)));
  });
});
