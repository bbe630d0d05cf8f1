import React from 'react';
import * as ReactAll from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import * as rxjs from 'rxjs';
import {
  DataHoverEvent,
  EventBusSrv,
  LoadingState,
  PanelPlugin,
  ThemeContext,
  createTheme,
  dateTime,
} from '@grafana/data';
import { loadPlugin, provide } from './amd';
import { Scenario, T0, basic, large } from './scenarios';
import { startLive } from './live';
import { TimelineIndex } from '../../src/model/timeline';
import { LifecycleEvent } from '../../src/model/contract';
import { buildScene } from '../../src/model/scene';
import { defaultOptions } from '../../src/types';
import { DsQueryEntry, DsQueryLog, installRuntime } from '../../src/fixtures/runtime';
import { datasourceRunner } from '../../src/data/query';
import { StoredDataLoader } from '../../src/data/loader';
import { STATUS } from '../../src/model/ops';
import { formatProblem } from '../../src/model/problems';
import { CanvasProbe } from '../../src/render/probe';
import { canvasHooks } from './canvasHooks';

provide('react', ReactAll);
provide('react-dom', ReactDOM);
provide('react/jsx-runtime', jsxRuntime);
provide('@emotion/css', emotionCss);
provide('@grafana/data', grafanaData);
provide('@grafana/ui', grafanaUi);
provide('@grafana/runtime', grafanaRuntime);
// Grafana shares rxjs with plugins (the stored-data path awaits datasource Observables)
provide('rxjs', rxjs);

interface HostState {
  ready: boolean;
  error?: string;
  info: Record<string, unknown>;
  hovers: number[];
  ranges: Array<{ from: number; to: number }>;
  soak?: (updates: number) => Promise<void>;
  indexBench?: (events: number, days: number, seeks: number) => Record<string, number>;
  sceneBench?: () => Record<string, number>;
  dsQueries?: DsQueryLog;
  storedCheck?: (
    t: number,
    entityIds: string[],
    states: string,
    restarts: number[]
  ) => Promise<Record<string, unknown>>;
  /** The React the host hands the plugin (18 here, 19 in the react19 host build). */
  reactVersion: string;
}

// ?now=<epoch ms>: the page's clock runs from that instant (a stored fixture's history ends at its own "now"; at the
// real date its windows would lie in the future, stay open and be read again every 10 s)
const clockAt = Number(new URLSearchParams(location.search).get('now'));
if (clockAt > 0) {
  const realNow = Date.now.bind(Date);
  const offset = clockAt - realNow();
  Date.now = () => realNow() + offset;
}

const host: HostState = { ready: false, info: {}, hovers: [], ranges: [], reactVersion: ReactAll.version };
(window as unknown as { __hmx: HostState }).__hmx = host;

const params = new URLSearchParams(location.search);
const width = Number(params.get('w') ?? 1000);
const height = Number(params.get('h') ?? 640);
const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
document.body.style.background = theme.colors.background.canvas;
document.body.style.color = theme.colors.text.primary;

function scenario(name: string): Scenario {
  switch (name) {
    case 'stored':
      // no dashboard frames: the panel reads the stored data through @grafana/runtime itself
      return { from: Number(params.get('from')), to: Number(params.get('to')), series: [], info: {} };
    case 'bench':
      return large(100, 100, 20_000, T0, T0 + 60 * 60_000, 5 * 60_000);
    case 'empty':
      return { from: T0, to: T0 + 3600_000, series: [], info: {} };
    default:
      return basic();
  }
}

function props(s: Scenario, bus: EventBusSrv, options: Record<string, unknown>) {
  const timeRange = { from: dateTime(s.from), to: dateTime(s.to), raw: { from: dateTime(s.from), to: dateTime(s.to) } };
  return {
    id: 1,
    data: { state: LoadingState.Done, series: s.series, timeRange },
    timeRange,
    timeZone: 'utc',
    options,
    transparent: false,
    width,
    height,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'Mission Control',
    eventBus: bus,
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    replaceVariables: (v: string) => v,
    onChangeTimeRange: (r: { from: number; to: number }) => host.ranges.push(r),
  };
}

/** Timeline index build + seek figures over generated lifecycle events (runs in the page). */
function indexBench(events: number, days: number, seeks: number): Record<string, number> {
  const span = days * 86_400_000;
  const evs: LifecycleEvent[] = new Array(events);
  const types = ['actor.spawned', 'actor.exited', 'actor.restarted', 'node.failed', 'node.recovered'] as const;
  let s = 7;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let i = 0; i < events; i++) {
    const type = types[i % 50 === 0 ? 3 + (i % 2) : Math.floor(rnd() * 3)];
    const n = Math.floor(rnd() * 100);
    const time = T0 + (i / events) * span;
    evs[i] = type.startsWith('node')
      ? {
          type,
          time,
          emitter: 'b',
          seq: i,
          node: { id: `node-${n}`, kind: 'host', layer: 'hardware', name: `node-${n}` },
        }
      : {
          type,
          time,
          emitter: 'b',
          seq: i,
          actor: {
            id: `actor-${n}-${Math.floor(rnd() * 100)}`,
            kind: 'w',
            layer: 'harmonix',
            name: 'a',
            node: `node-${n}`,
          },
        };
  }
  const t0 = performance.now();
  const index = TimelineIndex.of({ events: evs });
  const build = performance.now() - t0;
  const times: number[] = [];
  for (let q = 0; q < seeks; q++) {
    const t = T0 + rnd() * span;
    const a = performance.now();
    index.stateAt(t);
    times.push(performance.now() - a);
  }
  times.sort((a, b) => a - b);
  return {
    events,
    entities: index.registry.size,
    K: index.K,
    buildMs: build,
    ...Object.fromEntries(Object.entries(index.buildStats).map(([k, v]) => [`build_${k}`, v])),
    seekP50: times[Math.floor(seeks * 0.5)],
    seekP95: times[Math.floor(seeks * 0.95)],
    seekMax: times[seeks - 1],
  };
}
host.indexBench = indexBench;

let checkLoader: StoredDataLoader | undefined;

/** A seek as the panel does it (window at t through the real runtime, scene, stateAt) compared in the
 * page with the generator's truth; returns wrong states, queries and time of this seek. */
async function storedCheck(
  log: DsQueryLog,
  windowMs: number,
  t: number,
  entityIds: string[],
  states: string,
  restarts: number[]
) {
  checkLoader ??= new StoredDataLoader(datasourceRunner('loki'), {
    selector: defaultOptions.lokiSelector,
    refId: 'events',
    windowMs,
  });
  const before = log.length;
  const a = performance.now();
  const w = await checkLoader.load(t);
  const b = performance.now();
  const sc = buildScene(w.frames, defaultOptions, w.from, w.to);
  const c = performance.now();
  const st = sc.index.stateAt(t);
  const d = performance.now();
  const asked = log.slice(before);
  const sum = (f: (q: DsQueryEntry) => number | undefined) => asked.reduce((n, q) => n + (f(q) ?? 0), 0);
  const reg = sc.index.registry;
  // nodes and actors: 'R' up/running, 'E' failed/exited, 'U' unknown, '-' absent (the fixture's truth)
  const byId = new Map<string, number>();
  for (let i = 0; i < reg.size; i++) {
    if (reg.kinds[i] === 'actor' || reg.kinds[i] === 'node') {
      byId.set(reg.info[i].id, i);
    }
  }
  const WANT: Record<string, number> = { R: STATUS.UP, E: STATUS.DOWN, U: STATUS.UNKNOWN, '-': STATUS.ABSENT };
  let wrong = 0;
  const examples: string[] = [];
  entityIds.forEach((id, k) => {
    const i = byId.get(id);
    const want = WANT[states[k]];
    const got = i === undefined ? STATUS.ABSENT : st.status[i];
    const isActor = i !== undefined && reg.kinds[i] === 'actor';
    if (got !== want || (isActor && want !== STATUS.ABSENT && st.restarts[i] !== restarts[k])) {
      wrong++;
      if (examples.length < 3) {
        examples.push(`${id}: want ${states[k]}/${restarts[k]}, got ${got}/${i === undefined ? '-' : st.restarts[i]}`);
      }
    }
  });
  return {
    wrong,
    compared: entityIds.length,
    queries: asked.length,
    ms: d - a,
    // where the seek's time went; the query sums overlap when queries run at once (wall time is `loadMs`)
    split: {
      loadMs: b - a,
      sceneMs: c - b,
      stateAtMs: d - c,
      serverMs: sum((q) => q.serverMs),
      transferMs: sum((q) => (q.fetchMs ?? 0) - (q.serverMs ?? 0)),
      parseMs: sum((q) => q.parseMs),
      decodeMs: sum((q) => q.decodeMs),
      phases: asked.length > 0 ? w.stats.ms : undefined,
    },
    lines: w.stats.lines,
    exprs: asked.map((q) => `${q.expr} [${q.to - q.from} ms]`),
    cuts: w.cuts.map((c) => formatProblem(c.problem)),
  };
}

async function main() {
  const mod = (await loadPlugin('/dist/module.js')) as {
    plugin: PanelPlugin;
    setCanvasProbe: (p: CanvasProbe) => void;
  };
  const Panel = mod.plugin.panel as unknown as React.ComponentType<ReturnType<typeof props>>;
  if (!Panel) {
    throw new Error('dist/module.js does not export plugin.panel');
  }
  // the canvas test hooks (canvas.hmx); ?hooks=0 leaves them out, as in Grafana; ?full=1 has every redraw repaint it all
  if (params.get('hooks') !== '0') {
    mod.setCanvasProbe(canvasHooks(params.get('raster') === '1', params.get('full') === '1'));
  }
  const s = scenario(params.get('scenario') ?? 'basic');
  host.info = s.info;
  const bus = new EventBusSrv();
  bus.subscribe(DataHoverEvent, (e) => host.hovers.push(e.payload.point.time as number));
  const options: Record<string, unknown> = {
    liveByDefault: params.get('live') === '1',
    highContrast: params.get('hc') === '1',
    particles: params.get('particles') !== '0',
  };
  if (params.get('scenario') === 'stored') {
    // Grafana's own wiring: DataSourceWithBackend → BackendSrv.fetch → POST /api/ds/query (same origin,
    // the test server forwards it to the fake /api/ds/query)
    const log: DsQueryLog = [];
    installRuntime(
      async (path, body, headers) => {
        const res = await fetch(path, { method: 'POST', body, headers });
        return {
          status: res.status,
          text: await res.text(),
          serverTiming: res.headers.get('server-timing') ?? undefined,
        };
      },
      [{ uid: 'loki', type: 'loki' }],
      log
    );
    host.dsQueries = log;
    Object.assign(options, { storedData: 'always', storedWindowMinutes: Number(params.get('window') ?? 60) });
    host.storedCheck = (t, entityIds, states, restarts) =>
      storedCheck(log, Number(params.get('window') ?? 60) * 60_000, t, entityIds, states, restarts);
  }
  const root = ReactDOMClient.createRoot(document.getElementById('root')!);
  const render = (sc: Scenario) =>
    root.render(
      <ThemeContext.Provider value={theme}>
        <Panel {...props(sc, bus, options)} />
      </ThemeContext.Provider>
    );
  if (params.get('scenario') === 'live') {
    const line = document.createElement('div');
    line.setAttribute('data-testid', 'host-status');
    line.style.cssText = 'font: 12px sans-serif; padding: 4px 8px; opacity: 0.8';
    document.body.insertBefore(line, document.getElementById('root'));
    options.liveByDefault = true;
    // tests poll faster than a person's 2 s (?poll=ms) to see many refreshes in a few seconds
    startLive(render, (text) => (line.textContent = text), '/collector', Number(params.get('poll') ?? 2000));
  } else {
    render(s);
  }
  // 24 h of live refreshes (one per simulated minute) over a sliding 1 h window
  host.soak = async (updates: number) => {
    const state = host as HostState & { soakAt?: number };
    for (let i = 0; i < updates; i++) {
      const now = (state.soakAt = (state.soakAt ?? T0) + 60_000);
      render(large(20, 20, 400, now - 3600_000, now, 60_000));
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    }
  };
  host.sceneBench = () => {
    const a = performance.now();
    const sc = buildScene(s.series, defaultOptions, s.from, s.to);
    return {
      sceneBuildMs: performance.now() - a,
      frames: s.series.length,
      entities: sc.index.registry.size,
      edges: sc.edges.size,
    };
  };
  host.ready = true;
}

main().catch((e) => {
  host.error = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
  document.body.textContent = `host error: ${host.error}`;
});
