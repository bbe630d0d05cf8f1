// Reads the committed provisioning files and lists every query in them (dashboards, annotations, alert rules).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../support/binaries.js';

export const provisioningDir = join(repoRoot, 'provisioning');

export type QueryLanguage = 'promql' | 'logql' | 'traceql';

export interface FoundQuery {
  /** provisioning-relative file */
  file: string;
  /** where in the file, e.g. 'panel 3 "Node status" target A' or 'rule hmx-node-down A' */
  where: string;
  language: QueryLanguage;
  expr: string;
  /** set for alert rules */
  ruleUid?: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Array<{
    id: number;
    type: string;
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    datasource?: { type: string; uid: string };
    targets?: Array<Record<string, unknown> & { refId: string; datasource: { type: string; uid: string } }>;
    options?: Record<string, unknown>;
    fieldConfig?: { defaults: Record<string, unknown> };
  }>;
  annotations: { list: Array<Record<string, unknown> & { datasource: { type: string; uid: string }; expr?: string; name: string }> };
}

function walk(dir: string, ext: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, ext, out);
    else if (entry.name.endsWith(ext)) out.push(path);
  }
  return out.sort();
}

export function dashboardFiles(): Array<{ file: string; dashboard: Dashboard }> {
  return walk(join(provisioningDir, 'dashboards'), '.json').map((path) => ({
    file: relative(provisioningDir, path),
    dashboard: JSON.parse(readFileSync(path, 'utf8')) as Dashboard,
  }));
}

export function readYaml<T>(rel: string): T {
  return parseYaml(readFileSync(join(provisioningDir, rel), 'utf8')) as T;
}

export interface RuleQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange?: { from: number; to: number };
  model: Record<string, unknown> & { expr?: string; type?: string; expression?: string; conditions?: Array<{ evaluator: { type: string; params: number[] } }> };
}
export interface Rule {
  uid: string;
  title: string;
  condition: string;
  for: string;
  data: RuleQuery[];
  annotations: Record<string, string>;
  labels: Record<string, string>;
  noDataState: string;
  execErrState: string;
}
export interface RulesFile {
  apiVersion: number;
  groups: Array<{ orgId: number; name: string; folder: string; interval: string; rules: Rule[] }>;
}

export const rulesFile = (): RulesFile => readYaml<RulesFile>('alerting/rules.yaml');
export const allRules = (): Rule[] => rulesFile().groups.flatMap((g) => g.rules);

const LANGUAGE: Record<string, QueryLanguage> = { prometheus: 'promql', loki: 'logql', tempo: 'traceql' };

export function allQueries(): FoundQuery[] {
  const out: FoundQuery[] = [];
  for (const { file, dashboard } of dashboardFiles()) {
    for (const p of dashboard.panels) {
      for (const t of p.targets ?? []) {
        const language = LANGUAGE[t.datasource.type];
        const expr = (t.expr ?? t.query) as string | undefined;
        if (!language || typeof expr !== 'string') throw new Error(`${file}: panel ${p.id} target ${t.refId} has no query for ${t.datasource.type}`);
        out.push({ file, where: `panel ${p.id} "${p.title}" target ${t.refId}`, language, expr });
      }
    }
    for (const a of dashboard.annotations.list) {
      if (a.expr !== undefined) out.push({ file, where: `annotation "${a.name}"`, language: LANGUAGE[a.datasource.type]!, expr: a.expr });
    }
  }
  for (const r of allRules()) {
    for (const q of r.data) {
      if (q.datasourceUid === '__expr__') continue;
      out.push({ file: 'alerting/rules.yaml', where: `rule ${r.uid} ${q.refId}`, language: 'promql', expr: String(q.model.expr), ruleUid: r.uid });
    }
  }
  return out;
}

/** Grafana's built-in variables, replaced as Grafana would before sending the query. */
export function interpolate(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '15s').replaceAll('$__range', '1h').replaceAll('$__auto', '1m');
}

/** The threshold a rule's condition C applies to the reduced value of A. */
export function ruleThreshold(r: Rule): { op: 'gt' | 'lt'; value: number } {
  const c = r.data.find((q) => q.refId === r.condition);
  const ev = c?.model.conditions?.[0]?.evaluator;
  if (!ev || (ev.type !== 'gt' && ev.type !== 'lt') || typeof ev.params[0] !== 'number')
    throw new Error(`rule ${r.uid}: condition ${r.condition} is not a gt/lt threshold`);
  return { op: ev.type, value: ev.params[0] };
}

export function ruleExpr(r: Rule): string {
  const a = r.data.find((q) => q.refId === 'A');
  if (!a?.model.expr) throw new Error(`rule ${r.uid}: no PromQL query A`);
  return a.model.expr;
}

/** True when a sample value makes the rule's condition fire. */
export const crosses = (r: Rule, v: number) => {
  const t = ruleThreshold(r);
  return t.op === 'gt' ? v > t.value : v < t.value;
};
