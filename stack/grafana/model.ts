// Small typed builders for the provisioned Grafana dashboards (JSON model, schemaVersion 42), typed with
// Grafana's own schema types (@grafana/schema, the version the panel plugin builds against): a key or an
// enum value Grafana does not know fails the type check. Every query is a plain string the tests parse and run.
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  DashboardCursorSync,
  GraphDrawStyle,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LogsDedupStrategy,
  LogsSortOrder,
  MappingType,
  PercentChangeColorMode,
  SortOrder,
  StackingMode,
  TableCellHeight,
  ThresholdsMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizOrientation,
  type AnnotationQuery,
  type Dashboard,
  type DashboardLink,
  type DataQuery,
  type FieldConfigSource,
  type Panel as SchemaPanel,
  type ThresholdsConfig,
  type ValueMapping,
} from '@grafana/schema';
import type { LokiDataQuery } from '@grafana/schema/dist/esm/raw/composable/loki/dataquery/x/LokiDataQuery_types.gen';
import { SearchTableType, type TempoQuery } from '@grafana/schema/dist/esm/raw/composable/tempo/dataquery/x/TempoDataQuery_types.gen';
import type { Options as LogsOptions } from '@grafana/schema/dist/esm/raw/composable/logs/panelcfg/x/LogsPanelCfg_types.gen';
import type { Options as StatPanelOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type {
  FieldConfig as TimeSeriesFieldConfig,
  Options as TimeSeriesOptions,
} from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

export const DS = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  loki: { type: 'loki', uid: 'loki' },
  tempo: { type: 'tempo', uid: 'tempo' },
} as const;
export type DatasourceRef = (typeof DS)[keyof typeof DS];

export type PromTarget = {
  refId: string;
  datasource: typeof DS.prometheus;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
};
export type LokiTarget = {
  refId: string;
  datasource: typeof DS.loki;
  expr: string;
  queryType: 'range' | 'instant';
  maxLines?: number;
};
export type TempoTarget = {
  refId: string;
  datasource: typeof DS.tempo;
  queryType: 'traceql';
  query: string;
  limit: number;
  tableType: SearchTableType;
  /** The TraceQL search editor's filters (unused: the query is TraceQL code). */
  filters: [];
};
export type Target = PromTarget | LokiTarget | TempoTarget;
// Every target is a query as Grafana's schema defines it (compile-time checks, nothing runs).
export const asSchemaQuery = {
  any: (t: Target): DataQuery => t,
  loki: (t: LokiTarget): LokiDataQuery => t,
  tempo: (t: TempoTarget): TempoQuery => t,
};

export const prom = (refId: string, expr: string, legendFormat?: string, instant = false): PromTarget => ({
  refId,
  datasource: DS.prometheus,
  expr,
  ...(legendFormat !== undefined && { legendFormat }),
  ...(instant ? { instant: true, range: false } : { range: true }),
});
export const loki = (refId: string, expr: string, maxLines = 1000): LokiTarget => ({ refId, datasource: DS.loki, expr, queryType: 'range', maxLines });
export const traceql = (refId: string, query: string, limit = 20): TempoTarget => ({
  refId,
  datasource: DS.tempo,
  queryType: 'traceql',
  query,
  limit,
  tableType: SearchTableType.Traces,
  filters: [],
});

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface Panel extends SchemaPanel {
  id: number;
  type: string;
  title: string;
  gridPos: GridPos;
  datasource?: DatasourceRef | { type: 'datasource'; uid: '-- Mixed --' };
  targets?: Target[];
}

/** A panel before layout: width and height in grid units (24 columns). */
export type PanelSpec = Omit<Panel, 'id' | 'gridPos'> & { w: number; h: number };

function datasourceOf(targets: Target[] | undefined): Panel['datasource'] {
  if (!targets?.length) return undefined;
  const uids = new Set(targets.map((t) => t.datasource.uid));
  return uids.size === 1 ? targets[0]!.datasource : { type: 'datasource', uid: '-- Mixed --' };
}

const thresholds = (steps: Array<[number | null, string]>): ThresholdsConfig => ({
  mode: ThresholdsMode.Absolute,
  // The base step has value null (-∞) in Grafana's JSON; the schema types it as number.
  steps: steps.map(([value, color]) => ({ value: value as number, color })),
});

export interface SeriesOptions {
  unit?: string;
  min?: number;
  max?: number;
  /** Draw these thresholds as dashed lines on the graph (value, colour). */
  thresholdLines?: Array<[number, string]>;
  stack?: boolean;
}

export function timeseries(title: string, targets: Target[], o: SeriesOptions & { w?: number; h?: number; description?: string } = {}): PanelSpec {
  const custom: TimeSeriesFieldConfig = {
    drawStyle: GraphDrawStyle.Line,
    lineWidth: 1,
    fillOpacity: o.stack ? 30 : 10,
    showPoints: VisibilityMode.Never,
    spanNulls: false,
  };
  if (o.stack) custom.stacking = { mode: StackingMode.Normal, group: 'A' };
  if (o.thresholdLines) custom.thresholdsStyle = { mode: GraphThresholdsStyleMode.Dashed };
  const options: TimeSeriesOptions = {
    legend: { displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] },
    tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
  };
  const fieldConfig: FieldConfigSource = {
    defaults: {
      custom: { ...custom },
      ...(o.unit && { unit: o.unit }),
      ...(o.min !== undefined && { min: o.min }),
      ...(o.max !== undefined && { max: o.max }),
      ...(o.thresholdLines && { thresholds: thresholds([[null, 'transparent'], ...o.thresholdLines]) }),
    },
    overrides: [],
  };
  return {
    type: 'timeseries',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 12,
    h: o.h ?? 8,
    targets,
    options: { ...options },
    fieldConfig,
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
  const options: StatPanelOptions = {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: o.colorMode === 'value' ? BigValueColorMode.Value : BigValueColorMode.Background,
    graphMode: BigValueGraphMode.None,
    textMode: BigValueTextMode.ValueAndName,
    justifyMode: BigValueJustifyMode.Auto,
    orientation: VizOrientation.Auto,
    percentChangeColorMode: PercentChangeColorMode.Standard,
    showPercentChange: false,
    wideLayout: true,
  };
  const mappings: ValueMapping[] = (o.mappings ?? []).map(([value, text, color]) => ({ type: MappingType.ValueToText, options: { [value]: { text, color } } }));
  return {
    type: 'stat',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 6,
    h: o.h ?? 5,
    targets,
    options: { ...options },
    fieldConfig: { defaults: { ...(o.unit && { unit: o.unit }), thresholds: thresholds(o.steps ?? [[null, 'green']]), mappings }, overrides: [] },
  };
}

const tableOptions: TableOptions = { showHeader: true, cellHeight: TableCellHeight.Sm, frameIndex: 0 };

export function table(title: string, targets: Target[], o: { w?: number; h?: number; description?: string; unit?: string } = {}): PanelSpec {
  return {
    type: 'table',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 12,
    h: o.h ?? 8,
    targets,
    options: { ...tableOptions },
    fieldConfig: { defaults: { ...(o.unit && { unit: o.unit }) }, overrides: [] },
  };
}

const logsOptions: LogsOptions = {
  showTime: true,
  showLabels: false,
  showCommonLabels: false,
  showLogContextToggle: true,
  wrapLogMessage: true,
  prettifyLogMessage: false,
  enableLogDetails: true,
  dedupStrategy: LogsDedupStrategy.none,
  sortOrder: LogsSortOrder.Descending,
};

export function logs(title: string, target: LokiTarget, o: { w?: number; h?: number; description?: string } = {}): PanelSpec {
  return {
    type: 'logs',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 24,
    h: o.h ?? 8,
    targets: [target],
    options: { ...logsOptions },
  };
}

export function traces(title: string, target: TempoTarget, o: { w?: number; h?: number; description?: string } = {}): PanelSpec {
  return {
    type: 'table',
    title,
    ...(o.description && { description: o.description }),
    w: o.w ?? 24,
    h: o.h ?? 8,
    targets: [target],
    options: { ...tableOptions },
  };
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

/** A dashboard annotation. Loki ones carry the query as `target` (current model) and as `expr` (older
 * Grafana; Loki's prepareAnnotation migrates it), plus Loki's title/text/tag formats. */
export interface Annotation extends AnnotationQuery<LokiDataQuery | DataQuery> {
  expr?: string;
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
}

export function lokiAnnotation(a: { name: string; iconColor: string; expr: string; titleFormat: string; textFormat: string; tagKeys: string }): Annotation {
  const target: LokiDataQuery = { refId: 'Anno', datasource: DS.loki, expr: a.expr, queryType: 'range' };
  return {
    name: a.name,
    datasource: DS.loki,
    enable: true,
    iconColor: a.iconColor,
    expr: a.expr,
    target,
    titleFormat: a.titleFormat,
    textFormat: a.textFormat,
    tagKeys: a.tagKeys,
  };
}

const BUILTIN_ANNOTATION: Annotation = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

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
  links?: DashboardLink[];
}

/** Lays the rows out on the 24-column grid and numbers the panels. */
export function dashboard(spec: DashboardSpec): Dashboard & { uid: string; title: string } {
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
    graphTooltip: DashboardCursorSync.Crosshair,
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
      {
        type: 'dashboards',
        tags: ['harmonix'],
        asDropdown: true,
        title: 'Mission Control dashboards',
        includeVars: false,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
      },
    ],
    panels,
  };
}
