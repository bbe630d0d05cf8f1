// bench:panel, stored data: a generated history (default 7 days, 100 nodes / 10,000 actors, ≥ 600k
// records) in the fake Loki behind the fake /api/ds/query; in Chromium, seeks at seeded random instants
// through the real @grafana/runtime path, each compared with the generator's truth. Figures: wrong entity
// states, queries per seek, seek time (queries + scene build + stateAt), JS heap; then playback at 60× over a day
// of it (playBench.mjs).
import { startServer } from './server.mjs';
import { playbackBench } from './playBench.mjs';
import { checkStoredInstant, forwardDsQuery, openStoredPanel, startStoredFixture } from './storedBackends.mjs';

const env = (k, d) => process.env[k] ?? String(d);

export async function storedBench(context, pct) {
  const scale = {
    days: env('HMX_BENCH_STORED_DAYS', 7),
    nodes: env('HMX_BENCH_STORED_NODES', 100),
    actorsPerNode: env('HMX_BENCH_STORED_ACTORS_PER_NODE', 100),
    changesPerHour: env('HMX_BENCH_STORED_CHANGES_PER_HOUR', 3700),
    // the collector's default is 10 min; at 10,000 actors that is ~1.3 MB of keyframe per interval, so the
    // bench stores one an hour to keep the fake Loki's memory reasonable on a shared machine
    keyframeMinutes: env('HMX_BENCH_STORED_KEYFRAME_MINUTES', 60),
    instants: env('HMX_BENCH_STORED_INSTANTS', 200),
    // node failures (their running actors unknown until their own record, recovery after ~20 min), as in the demo
    nodeFailuresPerDay: env('HMX_BENCH_STORED_NODE_FAILURES_PER_DAY', 48),
    // hours of history played at 60× after the seeks (0: none); a day takes 24 min
    playHours: env('HMX_BENCH_STORED_PLAY_HOURS', 24),
  };
  const fixture = await startStoredFixture([
    '--days',
    scale.days,
    '--nodes',
    scale.nodes,
    '--actors-per-node',
    scale.actorsPerNode,
    '--changes-per-hour',
    scale.changesPerHour,
    '--keyframe-minutes',
    scale.keyframeMinutes,
    '--instants',
    scale.instants,
    '--node-failures-per-day',
    scale.nodeFailuresPerDay,
  ]);
  const server = await startServer(0, forwardDsQuery(fixture.grafana));
  try {
    // the panel's own first load and density query are over before the seeks (their queries would count)
    const { page } = await openStoredPanel(context, server.url, fixture, ' nodes · ');
    await page.waitForFunction(() => window.__hmx.dsQueries.every((q) => q.fetchMs !== undefined), null, {
      timeout: 600_000,
    });
    const cdp = await page.context().newCDPSession(page);
    const { instants } = fixture.truth;
    const seeks = [];
    let heapMB = 0;
    for (const x of instants) {
      seeks.push({ t: x.t, ...(await checkStoredInstant(page, fixture, x)) });
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      heapMB = Math.max(heapMB, Math.round(usedSize / 1048576));
    }
    const ms = seeks.map((s) => s.ms);
    const queries = seeks.map((s) => s.queries);
    // a cache hit costs no query; the figure that matters is a seek that had to query
    const coldSeeks = seeks.filter((s) => s.queries > 0);
    const cold = coldSeeks.map((s) => s.ms);
    // p50/p95 of each part of a querying seek's time
    const parts = (get) => {
      const xs = coldSeeks.map(get);
      return xs.length ? { p50: Math.round(pct(xs, 0.5)), p95: Math.round(pct(xs, 0.95)) } : null;
    };
    const split = Object.fromEntries(
      [
        ...['loadMs', 'sceneMs', 'stateAtMs', 'serverMs', 'transferMs', 'parseMs', 'decodeMs'].map((k) => [
          k,
          (s) => s.split[k],
        ]),
        ...['lookup', 'parts', 'records', 'flows'].map((k) => [`${k}Ms`, (s) => s.split.phases[k]]),
      ].map(([k, get]) => [k, parts(get)])
    );
    const most = seeks.reduce((a, b) => (b.queries > a.queries ? b : a));
    await page.close();
    // the seeks' figures before the (long) playback, in case it is cut short
    console.error(
      `stored seeks: ${seeks.length}, wrong ${seeks.reduce((n, s) => n + s.wrong, 0)}, queries max ${Math.max(...queries)}, ` +
        `querying seeks p95 ${cold.length ? Math.round(pct(cold, 0.95)) : '-'} ms, split ${JSON.stringify(split)}`
    );
    const playback =
      Number(scale.playHours) > 0
        ? await playbackBench(context, server.url, fixture, Number(scale.playHours), pct)
        : null;
    return {
      scale,
      records: fixture.records,
      keyframes: fixture.keyframes,
      lokiEntries: fixture.lokiEntries,
      generateMs: fixture.generateMs,
      pushMs: fixture.pushMs,
      instants: seeks.length,
      wrongStates: seeks.reduce((n, s) => n + s.wrong, 0),
      comparedStates: seeks.reduce((n, s) => n + s.compared, 0),
      wrongExamples: seeks.filter((s) => s.wrong > 0).slice(0, 3),
      // instants inside a node failure, and the unknown actors compared at them
      failedNodeInstants: instants.filter((x) => x.states.slice(0, fixture.truth.nodes).includes('E')).length,
      unknownActorStates: instants.reduce((n, x) => n + x.states.split('U').length - 1, 0),
      cuts: [...new Set(seeks.flatMap((s) => s.cuts))],
      queriesPerSeekMax: Math.max(...queries),
      queriesPerSeekP50: pct(queries, 0.5),
      seekP50: Math.round(pct(ms, 0.5)),
      seekP95: Math.round(pct(ms, 0.95)),
      coldSeeks: cold.length,
      coldSeekP95: cold.length ? Math.round(pct(cold, 0.95)) : null,
      coldSplit: split,
      mostQueries: { t: new Date(most.t).toISOString(), queries: most.exprs },
      playback,
      heapMaxMB: heapMB,
    };
  } finally {
    await server.close();
    fixture.stop();
  }
}
