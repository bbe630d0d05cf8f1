// bench:panel, stored-data playback: the panel over `hours` of the stored fixture, played at 60× (its default
// speed) from the start of that range to its end. Figures: the longest gap between animation frames (a frame not
// rendered: the main thread was busy), the time the canvas was dimmed because the playhead's window was not loaded
// yet, the window loads and queries while playing, the JS heap.
// HMX_BENCH_PLAY_PROFILE=file.cpuprofile records a CPU profile of the playback (open it in Chromium's DevTools)
// and prints the functions with the most self time.
import { writeFileSync } from 'node:fs';
import { openPanel } from './browser.mjs';
import { storedQuery } from './storedBackends.mjs';

const HOUR = 3_600_000;

export async function playbackBench(context, serverUrl, fixture, hours, pct) {
  const from = fixture.from;
  const to = Math.min(fixture.now, from + hours * HOUR);
  const { page, errors } = await openPanel(context, serverUrl, storedQuery(fixture, from, to));
  await page.waitForFunction(
    () => document.querySelector('[data-testid="hmx-summary"]')?.textContent?.includes(' nodes · '),
    null,
    {
      timeout: 120_000,
    }
  );
  await page.waitForFunction(() => window.__hmx.dsQueries.every((q) => q.fetchMs !== undefined), null, {
    timeout: 600_000,
  });
  const cdp = await page.context().newCDPSession(page);
  const queriesBefore = await page.evaluate(() => window.__hmx.dsQueries.length);
  const profilePath = process.env.HMX_BENCH_PLAY_PROFILE;
  if (profilePath) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  await page.getByRole('button', { name: 'Play' }).click();
  // real time: (to - from) / 60, plus slack for a slow machine
  const m = await page.evaluate(
    (limitMs) =>
      new Promise((resolve) => {
        const gaps = [];
        // main-thread tasks over 50 ms: a gap without one is the machine, not the panel
        const tasks = [];
        let last = performance.now();
        const began = last;
        new PerformanceObserver((l) =>
          tasks.push(...l.getEntries().map((e) => ({ ms: e.duration, at: e.startTime - began })))
        ).observe({
          type: 'longtask',
        });
        // long animation frames say what ran in them: the scripts (who invoked them, where) and the rendering
        const frames = [];
        new PerformanceObserver((l) =>
          frames.push(
            ...l.getEntries().map((e) => ({
              ms: e.duration,
              at: e.startTime - began,
              blockingMs: e.blockingDuration,
              renderMs: e.renderStart > 0 ? e.startTime + e.duration - e.renderStart : 0,
              scripts: [...e.scripts]
                .sort((a, b) => b.duration - a.duration)
                .slice(0, 3)
                .map((s) => ({
                  ms: Math.round(s.duration),
                  invoker: s.invoker,
                  source: `${s.sourceFunctionName || '(anonymous)'} ${s.sourceURL.split('/').pop()}:${s.sourceCharPosition}`,
                })),
            }))
          )
        ).observe({ type: 'long-animation-frame' });
        let staleSince;
        const stale = [];
        const tick = (now) => {
          gaps.push(now - last);
          last = now;
          const dimmed = document.querySelector('[data-stale]') !== null;
          if (dimmed && staleSince === undefined) {
            staleSince = now;
          } else if (!dimmed && staleSince !== undefined) {
            stale.push(now - staleSince);
            staleSince = undefined;
          }
          const playing = document.querySelector('button[aria-label="Pause"]') !== null;
          if ((!playing && now - began > 1000) || now - began > limitMs) {
            resolve({ gaps, tasks, frames, stale, wallMs: now - began, finished: !playing });
          } else {
            requestAnimationFrame(tick);
          }
        };
        requestAnimationFrame(tick);
      }),
    ((to - from) / 60) * 1.5 + 30_000
  );
  if (profilePath) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(profilePath, JSON.stringify(profile));
    console.error('playback profile, self time:', JSON.stringify(topSelfTime(profile, 25)));
  }
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const queries = await page.evaluate((n) => window.__hmx.dsQueries.length - n, queriesBefore);
  await page.close();
  const r1 = (x) => Math.round(x * 10) / 10;
  // the three longest entries, each at its place in the history (the playhead runs at 60× from `from`)
  const longest = (entries, more) =>
    [...entries]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((x) => ({ ms: Math.round(x.ms), at: new Date(from + x.at * 60).toISOString(), ...more(x) }));
  return {
    hours: (to - from) / HOUR,
    speed: 60,
    finished: m.finished,
    wallSeconds: Math.round(m.wallMs / 1000),
    frames: m.gaps.length,
    frameGapP50: r1(pct(m.gaps, 0.5)),
    frameGapP99: r1(pct(m.gaps, 0.99)),
    frameGapMax: r1(Math.max(...m.gaps)),
    gapsOver100ms: m.gaps.filter((g) => g > 100).length,
    longTaskMax: m.tasks.length ? Math.round(Math.max(...m.tasks.map((x) => x.ms))) : 0,
    longTasksOver100ms: m.tasks.filter((x) => x.ms > 100).length,
    longestTasks: longest(m.tasks, () => ({})),
    // with the scripts that ran in them and the time spent rendering
    longestFrames: longest(m.frames, (x) => ({
      blockingMs: Math.round(x.blockingMs),
      renderMs: Math.round(x.renderMs),
      scripts: x.scripts,
    })),
    dimmedSpans: m.stale.length,
    dimmedMaxMs: m.stale.length ? Math.round(Math.max(...m.stale)) : 0,
    queries,
    heapMB: Math.round(usedSize / 1048576),
    errors,
  };
}

/** The `n` functions with the most self time in a CPU profile, in ms: "name (url:line)". */
function topSelfTime(profile, n) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const f = byId.get(profile.samples[i]).callFrame;
    const key = `${f.functionName || '(anonymous)'} (${f.url.split('/').pop()}:${f.lineNumber + 1})`;
    self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i] / 1000);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => [k, Math.round(ms)]);
}
