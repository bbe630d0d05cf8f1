// Provisioning files checked against the keys Grafana reads: generated files up to date, datasource
// uids referenced exist, the canvas panel type is the plugin's id, contract queries by role,
// alert rules complete (summary, description, runbook anchor that exists, labels, for), contact point + policy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generatedFiles } from '../../stack/grafana/build.js';
import { repoRoot } from '../support/binaries.js';
import { allRules, dashboardFiles, readYaml, ruleExpr, ruleThreshold, rulesFile } from './provisioning.js';

interface DatasourcesFile {
  apiVersion: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each datasource type has its own jsonData
  datasources: Array<{ name: string; type: string; uid: string; url: string; access: string; jsonData: Record<string, any> }>;
}
const datasources = readYaml<DatasourcesFile>('datasources/datasources.yaml').datasources;
const uids = new Set(datasources.map((d) => d.uid));
const dashboards = dashboardFiles();

/** GitHub's heading anchors: lower case, punctuation dropped, spaces → hyphens. */
export function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const line of markdown.split('\n')) {
    const m = /^#{1,6}\s+(.+?)\s*#*$/.exec(line);
    if (m)
      out.add(
        m[1]!
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-'),
      );
  }
  return out;
}

describe('generated provisioning', () => {
  it('committed dashboards and alerting files equal the output of stack/grafana/build.ts', () => {
    const files = generatedFiles();
    assert.ok(files.size >= 9);
    for (const [rel, content] of files) {
      assert.equal(readFileSync(join(repoRoot, rel), 'utf8'), content, `${rel} is stale: run node --import tsx stack/grafana/build.ts`);
    }
  });
});

describe('datasources', () => {
  it('have the fixed uids prometheus, loki, tempo and unique names', () => {
    assert.deepEqual([...uids].sort(), ['loki', 'prometheus', 'tempo']);
    assert.equal(new Set(datasources.map((d) => d.name)).size, datasources.length);
    for (const d of datasources) assert.equal(d.uid, d.type, `${d.name}: uid equals its type`);
  });

  it('Tempo links to Prometheus (service map) and Loki (traces to logs) with the node graph on', () => {
    const tempo = datasources.find((d) => d.uid === 'tempo')!;
    assert.equal(tempo.jsonData.serviceMap.datasourceUid, 'prometheus');
    assert.equal(tempo.jsonData.tracesToLogsV2.datasourceUid, 'loki');
    assert.equal(tempo.jsonData.nodeGraph.enabled, true);
  });

  it('Loki derives the trace id field into Tempo', () => {
    const loki = datasources.find((d) => d.uid === 'loki')!;
    const [field] = loki.jsonData.derivedFields as Array<Record<string, string>>;
    assert.equal(field?.datasourceUid, 'tempo');
    assert.equal(field?.matcherRegex, 'trace_id');
    assert.equal(field?.url, '$${__value.raw}', 'literal $ escaped for provisioning interpolation');
  });

  it('every datasource uid referenced anywhere exists', () => {
    const refs: string[] = [];
    for (const d of datasources) {
      for (const v of Object.values(d.jsonData)) if (v && typeof v === 'object' && 'datasourceUid' in v) refs.push(String(v.datasourceUid));
      for (const f of d.jsonData.derivedFields ?? []) refs.push(String(f.datasourceUid));
      for (const e of d.jsonData.exemplarTraceIdDestinations ?? []) refs.push(String(e.datasourceUid));
    }
    for (const { dashboard } of dashboards) {
      for (const p of dashboard.panels) {
        if (p.datasource && p.datasource.uid !== '-- Mixed --') refs.push(p.datasource.uid);
        for (const t of p.targets ?? []) refs.push(t.datasource.uid);
      }
      for (const a of dashboard.annotations.list) if (a.datasource.type !== 'grafana') refs.push(a.datasource.uid);
    }
    for (const r of allRules()) for (const q of r.data) if (q.datasourceUid !== '__expr__') refs.push(q.datasourceUid);
    assert.ok(refs.length > 80);
    assert.deepEqual(
      refs.filter((u) => !uids.has(u)),
      [],
    );
  });
});

describe('dashboards', () => {
  it('six dashboards in six folders, unique uids, one provider per folder', () => {
    assert.equal(dashboards.length, 6);
    assert.equal(new Set(dashboards.map((d) => d.dashboard.uid)).size, 6);
    const providers = readYaml<{ providers: Array<{ folder: string; options: { path: string } }> }>('dashboards/dashboards.yaml').providers;
    assert.deepEqual(providers.map((p) => p.folder).sort(), ['Akash', 'Collector', 'Hardware & OS', 'Harmonix', 'Kubernetes', 'Mission Control']);
    for (const p of providers) {
      const dir = p.options.path.replace('/etc/grafana/provisioning/', '');
      assert.ok(
        dashboards.some((d) => d.file.startsWith(`${dir.replace(/^dashboards\//, 'dashboards/')}/`)),
        `${p.options.path} holds a dashboard`,
      );
    }
  });

  it('panels have unique ids and fit the 24-column grid without overlapping', () => {
    for (const { file, dashboard } of dashboards) {
      assert.equal(new Set(dashboard.panels.map((p) => p.id)).size, dashboard.panels.length, file);
      const cells = new Set<string>();
      for (const p of dashboard.panels) {
        const g = p.gridPos;
        assert.ok(g.x >= 0 && g.w > 0 && g.x + g.w <= 24, `${file} panel ${p.id} gridPos ${JSON.stringify(g)}`);
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            assert.ok(!cells.has(`${x},${y}`), `${file} panel ${p.id} overlaps at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
      }
    }
  });

  it('Mission Control holds the topology canvas with the contract queries by role', () => {
    const plugin = JSON.parse(readFileSync(join(repoRoot, 'grafana-plugin', 'src', 'plugin.json'), 'utf8')) as { id: string; type: string };
    assert.equal(plugin.type, 'panel');
    const mc = dashboards.find((d) => d.dashboard.uid === 'hmx-mission-control')!.dashboard;
    const canvas = mc.panels.find((p) => p.type === plugin.id);
    assert.ok(canvas, `a panel of type ${plugin.id}`);
    const byRef = Object.fromEntries((canvas.targets ?? []).map((t) => [t.refId, t]));
    assert.equal(byRef.nodes?.expr, 'hmx_node_up');
    assert.equal(byRef.actors?.expr, 'hmx_actor_up');
    assert.equal(
      byRef.flows?.expr,
      'sum by (hmx_source_actor_id, hmx_destination_actor_id, hmx_source_node_id, hmx_destination_node_id) (rate(hmx_flow_messages_total[1m]))',
    );
    assert.equal(byRef.events?.datasource.uid, 'loki');
    assert.match(String(byRef.events?.expr), /^\{service_name="hmx-collector"\} \| event_name=~"hmx\[\.\]\.\+"$/);
    for (const role of ['nodes', 'actors', 'flows', 'events']) assert.equal(canvas.options?.[`${role}RefId`], role);
    assert.ok(
      mc.panels.some((p) => p.type === 'alertlist'),
      'alert list',
    );
    assert.ok(
      mc.annotations.list.some((a) => a.datasource.uid === 'loki' && String(a.expr).includes('audit')),
      'audit/annotation events as annotations',
    );
    for (const { dashboard } of dashboards) {
      for (const a of dashboard.annotations.list.filter((x) => x.datasource.uid === 'loki')) {
        // Current Grafana reads the query from target; older versions migrate the legacy expr.
        assert.equal((a.target as { expr?: string } | undefined)?.expr, a.expr, `${dashboard.uid} annotation ${a.name}`);
      }
    }
  });

  it('the Harmonix dissonance panel draws the 0.3 threshold line', () => {
    const h = dashboards.find((d) => d.dashboard.uid === 'hmx-harmonix')!.dashboard;
    const p = h.panels.find((x) => x.targets?.some((t) => t.expr === 'hmx_dissonance_ratio'));
    assert.ok(p);
    const d = p.fieldConfig?.defaults as { thresholds: { steps: Array<{ value: number | null }> }; custom: { thresholdsStyle: { mode: string } } };
    assert.ok(d.thresholds.steps.some((s) => s.value === 0.3));
    assert.notEqual(d.custom.thresholdsStyle.mode, 'off');
  });
});

describe('alert rules', () => {
  const rules = allRules();
  const runbook = readFileSync(join(repoRoot, 'docs', 'runbook.md'), 'utf8');
  const runbookAnchors = anchors(runbook);

  it('twelve rules in one folder, unique uids', () => {
    assert.equal(rules.length, 12);
    assert.equal(new Set(rules.map((r) => r.uid)).size, 12);
    const file = rulesFile();
    assert.equal(file.apiVersion, 1);
    for (const g of file.groups) {
      assert.equal(g.folder, 'Harmonix Mission Control');
      assert.match(g.interval, /^\d+[sm]$/);
    }
  });

  for (const r of allRules()) {
    it(`${r.uid}: complete, with a runbook section that exists`, () => {
      assert.ok(r.title && r.condition === 'C');
      assert.match(r.for, /^\d+[smh]$/);
      assert.ok(r.annotations.summary && r.annotations.description, 'summary and description');
      assert.ok(!/(^|[^$])\$labels/.test(r.annotations.summary + r.annotations.description), 'template $ escaped as $$');
      const m = /^\$\{HMX_RUNBOOK_URL\}#([a-z0-9-]+)$/.exec(r.annotations.runbook_url ?? '');
      assert.ok(m, `runbook_url ${r.annotations.runbook_url}`);
      assert.ok(runbookAnchors.has(m[1]!), `docs/runbook.md has a section #${m[1]}`);
      assert.ok(['critical', 'warning'].includes(r.labels.severity!), 'severity label');
      assert.ok(r.labels.layer && r.labels.team);
      assert.ok(ruleExpr(r));
      const t = ruleThreshold(r);
      assert.ok(Number.isFinite(t.value));
      assert.deepEqual(
        r.data.map((q) => q.refId),
        ['A', 'B', 'C'],
      );
      assert.equal(r.data[1]?.model.type, 'reduce');
      assert.equal(r.data[1]?.model.expression, 'A');
      assert.equal(r.data[2]?.model.expression, 'B');
    });
  }

  it('the runbook has one section per rule and no dangling sections', () => {
    const used = new Set(rules.map((r) => /#(.+)$/.exec(r.annotations.runbook_url!)![1]));
    assert.equal(used.size, rules.length);
    for (const a of used) assert.ok(runbookAnchors.has(a!));
  });
});

describe('contact point and notification policy', () => {
  const file = readYaml<{
    contactPoints: Array<{ name: string; receivers: Array<{ uid: string; type: string; settings: Record<string, string> }> }>;
    policies: Array<{ receiver: string; routes: Array<{ receiver: string }> }>;
  }>('alerting/contact-points.yaml');

  it('a webhook into the collector /v1/alerts with the bearer token from the environment', () => {
    const [cp] = file.contactPoints;
    const [recv] = cp?.receivers ?? [];
    assert.ok(recv?.uid);
    assert.equal(recv?.type, 'webhook');
    assert.equal(recv?.settings.url, '$HMX_ALERT_WEBHOOK_URL');
    assert.equal(recv?.settings.authorization_scheme, 'Bearer');
    assert.equal(recv?.settings.authorization_credentials, '$HMX_TOKEN');
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    assert.match(compose, /HMX_ALERT_WEBHOOK_URL: \$\{HMX_ALERT_WEBHOOK_URL:-http:\/\/hmx-collector:9464\/v1\/alerts\}/);
  });

  it('the policy tree routes to an existing contact point', () => {
    const names = new Set(file.contactPoints.map((c) => c.name));
    for (const p of file.policies) {
      assert.ok(names.has(p.receiver));
      for (const r of p.routes) assert.ok(names.has(r.receiver));
    }
  });
});
