// Small typed builders for the provisioned Grafana dashboards (JSON model, schemaVersion 42).
// Only the fields Grafana reads are produced; every query is a plain string the tests parse and run.

export const DS = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  loki: { type: 'loki', uid: 'loki' },
  tempo: { type: 'tempo', uid: 'tempo' },
} as const;
export type DatasourceRef = (typeof DS)[keyof typeof DS];

export interface PromTarget {
  refId: string;
  datasource: typeof DS.prometheus;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}
export interface LokiTarget {
  refId: string;
  datasource: typeof DS.loki;
  expr: string;
  queryType: 'range' | 'instant';
  maxLines?: number;
}
export interface TempoTarget {
  refId: string;
  datasource: typeof DS.tempo;
  queryType: 'traceql';
  query: string;
  limit: number;
  tableType: 'traces' | 'spans';
}
export type Target = PromTarget | LokiTarget | TempoTarget;

export const prom = (refId: string, expr: string, legendFormat?: string, instant = false): PromTarget => ({
  refId,
  datasource: DS.prometheus,
  expr,
  ...(legendFormat !== undefined && { legendFormat }),
  ...(instant ? { instant: true, range: false } : { range: true }),
});
export const loki = (refId: string, expr: string, maxLines = 1000): LokiTarget => ({ refId, datasource: DS.loki, expr, queryType: 'range', maxLines });
export const traceql = (refId: string, query: string, limit = 20): TempoTarget => ({ refId, datasource: DS.tempo, queryType: 'traceql', query, limit, tableType: 'traces' });

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: DatasourceRef | { type: 'datasource'; uid: '-- Mixed --' };
  targets?: Target[];
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
}

/** A panel before layout: width and height in grid units (24 columns). */
export type PanelSpec = Omit<Panel, 'id' | 'gridPos'> & { w: number; h: number };

function datasourceOf(targets: Target[] | undefined): Panel['datasource'] {
  if (!targets?.length) return undefined;
  const uids = new Set(targets.map((t) => t.datasource.uid));
  return uids.size === 1 ? targets[0]!.datasource : { type: 'datasource', uid: '-- Mixed --' };
}

const thresholds = (steps: Array<[number | null, string]>) => ({ mode: 'absolute', steps: steps.map(([value, color]) => ({ value, color })) });

export interface SeriesOptions {
  unit?: string;
  min?: number;
  max?: number;
  /** Draw these thresholds as dashed lines on the graph (value, colour). */
  thresholdLines?: Array<[number, string]>;
  stack?: boolean;
}

export function timeseries(title: string, targets: Target[], o: SeriesOptions & { w?: number; h?: number; description?: string } = {}): PanelSpec {
  const custom: Record<string, unknown> = { drawStyle: 'line', lineWidth: 1, fillOpacity: o.stack ? 30 : 10, showPoints: 'never', spanNulls: false };
  if (o.stack) custom.stacking = { mode: 'normal', group: 'A' };
  if (o.thresholdLines) custom.thresholdsStyle = { mode: 'dashed' };
  return {
    type: 'timeseries',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 12,
    h: o.h ?? 8,
    targets,
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    fieldConfig: {
      defaults: {
        custom,
        ...(o.unit && { unit: o.unit }),
        ...(o.min !== undefined && { min: o.min }),
        ...(o.max !== undefined && { max: o.max }),
        ...(o.thresholdLines && { thresholds: thresholds([[null, 'transparent'], ...o.thresholdLines]) }),
      },
      overrides: [],
    },
  };
}

export interface StatOptions {
  unit?: string;
  w?: number;
  h?: number;
  description?: string;
  /** [value, colour] steps; the first applies from -∞. */
  steps?: Array<[number | null, string]>;
  /** value → text mappings, e.g. 1 → UP. */
  mappings?: Array<[string, string, string]>;
  colorMode?: 'value' | 'background';
}

export function stat(title: string, targets: Target[], o: StatOptions = {}): PanelSpec {
  return {
    type: 'stat',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 6,
    h: o.h ?? 5,
    targets,
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: o.colorMode ?? 'background', graphMode: 'none', textMode: 'value_and_name', justifyMode: 'auto', orientation: 'auto' },
    fieldConfig: {
      defaults: {
        ...(o.unit && { unit: o.unit }),
        thresholds: thresholds(o.steps ?? [[null, 'green']]),
        mappings: (o.mappings ?? []).map(([value, text, color]) => ({ type: 'value', options: { [value]: { text, color } } })),
      },
      overrides: [],
    },
  };
}

export function table(title: string, targets: Target[], o: { w?: number; h?: number; description?: string; unit?: string } = {}): PanelSpec {
  return {
    type: 'table',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 12,
    h: o.h ?? 8,
    targets,
    options: { showHeader: true, cellHeight: 'sm' },
    fieldConfig: { defaults: { ...(o.unit && { unit: o.unit }) }, overrides: [] },
  };
}

export function logs(title: string, target: LokiTarget, o: { w?: number; h?: number; description?: string } = {}): PanelSpec {
  return {
    type: 'logs',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 24,
    h: o.h ?? 8,
    targets: [target],
    options: { showTime: true, wrapLogMessage: true, sortOrder: 'Descending', enableLogDetails: true, dedupStrategy: 'none', prettifyLogMessage: false },
  };
}

export function traces(title: string, target: TempoTarget, o: { w?: number; h?: number; description?: string } = {}): PanelSpec {
  return { type: 'table', title, ...(o.description && { description: o.description }), w: o.w ?? 24, h: o.h ?? 8, targets: [target], options: { showHeader: true } };
}

export function alertList(title: string, o: { w?: number; h?: number } = {}): PanelSpec {
  return {
    type: 'alertlist',
    title,
    w: o.w ?? 8,
    h: o.h ?? 8,
    options: {
      viewMode: 'list',
      groupMode: 'default',
      groupBy: [],
      maxItems: 20,
      sortOrder: 1,
      dashboardAlerts: false,
      alertName: '',
      alertInstanceLabelFilter: '',
      stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true },
    },
  };
}

export const ALERT_FOLDER = 'Harmonix Mission Control';

export interface Annotation {
  name: string;
  datasource: DatasourceRef | { type: 'grafana'; uid: '-- Grafana --' };
  enable: boolean;
  hide?: boolean;
  iconColor: string;
  expr?: string;
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
  builtIn?: number;
  type?: string;
}

const BUILTIN_ANNOTATION: Annotation = { builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' };

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  refresh?: string;
  time?: { from: string; to: string };
  annotations?: Annotation[];
  /** Rows of panels; each row is laid out left to right, wrapping at 24 columns. */
  rows: PanelSpec[][];
  links?: Array<Record<string, unknown>>;
}

/** Lays the rows out on the 24-column grid and numbers the panels. */
export function dashboard(spec: DashboardSpec): Record<string, unknown> {
  const panels: Panel[] = [];
  let y = 0;
  let id = 1;
  for (const row of spec.rows) {
    let x = 0;
    let rowHeight = 0;
    for (const p of row) {
      if (x + p.w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      const { w, h, ...rest } = p;
      panels.push({ id: id++, ...rest, datasource: rest.datasource ?? datasourceOf(rest.targets), gridPos: { h, w, x, y } } as Panel);
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: false,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    liveNow: false,
    refresh: spec.refresh ?? '30s',
    schemaVersion: 42,
    version: 1,
    time: spec.time ?? { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    templating: { list: [] },
    annotations: { list: [BUILTIN_ANNOTATION, ...(spec.annotations ?? [])] },
    links: spec.links ?? [
      { type: 'dashboards', tags: ['harmonix'], asDropdown: true, title: 'Mission Control dashboards', includeVars: false, keepTime: true },
    ],
    panels,
  };
}
