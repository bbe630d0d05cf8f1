// Grafana-managed alert rules, contact point and notification policy (file provisioning format, apiVersion 1).
// Each rule: A = PromQL (instant), B = reduce(last), C = threshold on B. The tests run A in a real
// Prometheus and apply the same threshold, so "fires" and "clears" are checked against real data.
import { ALERT_FOLDER } from './model.js';
import { CONTAINER_RESTARTS_10M, NODE_NOT_READY } from './dashboards/kubernetes.js';
import { LEASE_DROP, RPC_BAD } from './dashboards/akash.js';
import { CPU_SHARE } from './dashboards/collector-health.js';
import { DISSONANCE, DISSONANCE_THRESHOLD } from './queries.js';

export type Comparison = 'gt' | 'lt';

export interface AlertSpec {
  uid: string;
  title: string;
  group: 'topology' | 'platform' | 'harmonix' | 'collector';
  expr: string;
  op: Comparison;
  threshold: number;
  for: string;
  severity: 'critical' | 'warning';
  layer: string;
  summary: string;
  description: string;
  /** Anchor of the section in docs/runbook.md. */
  runbook: string;
  /** Query window Grafana sends (seconds before now). */
  window?: number;
}

export const alertSpecs: AlertSpec[] = [
  {
    uid: 'hmx-node-down',
    title: 'Node down',
    group: 'topology',
    expr: 'min by (hmx_node_id, hmx_node_name, hmx_layer) (hmx_node_up)',
    op: 'lt',
    threshold: 1,
    for: '1m',
    severity: 'critical',
    layer: 'topology',
    summary: 'Node {{ $labels.hmx_node_name }} is down',
    description:
      'hmx_node_up for {{ $labels.hmx_node_id }} (layer {{ $labels.hmx_layer }}) is 0: a node.failed event was received and no node.recovered since. Every actor on it is gone from the topology.',
    runbook: 'node-down',
  },
  {
    uid: 'hmx-actor-restart-storm',
    title: 'Actor restart storm',
    group: 'topology',
    expr: 'sum by (hmx_actor_id, hmx_node_id) (increase(hmx_actor_restarts_total[10m]))',
    op: 'gt',
    threshold: 3,
    for: '1m',
    severity: 'warning',
    layer: 'topology',
    summary: 'Actor {{ $labels.hmx_actor_id }} restarted more than 3 times in 10 minutes',
    description: 'hmx_actor_restarts_total of {{ $labels.hmx_actor_id }} on {{ $labels.hmx_node_id }} increased by {{ $values.B }} in 10 minutes.',
    runbook: 'actor-restart-storm',
  },
  {
    uid: 'hmx-k8s-node-not-ready',
    title: 'Kubernetes node NotReady',
    group: 'platform',
    expr: NODE_NOT_READY,
    op: 'gt',
    threshold: 0,
    for: '2m',
    severity: 'critical',
    layer: 'kubernetes',
    summary: 'Kubernetes node {{ $labels.k8s_node_name }} is not Ready',
    description: 'The Ready condition of {{ $labels.k8s_node_name }} is false or unknown (k8s_node_condition_status).',
    runbook: 'kubernetes-node-notready',
  },
  {
    uid: 'hmx-k8s-pod-crashloop',
    title: 'Pod CrashLoopBackOff',
    group: 'platform',
    expr: CONTAINER_RESTARTS_10M,
    op: 'gt',
    threshold: 2,
    for: '2m',
    severity: 'warning',
    layer: 'kubernetes',
    summary: 'Container {{ $labels.k8s_container_name }} of {{ $labels.k8s_namespace_name }}/{{ $labels.k8s_pod_name }} is crash-looping',
    description: 'k8s_container_restart_count rose by {{ $values.B }} in 10 minutes (3 or more restarts: the kubelet is backing off, CrashLoopBackOff).',
    runbook: 'pod-crashloopbackoff',
  },
  {
    uid: 'hmx-akash-rpc',
    title: 'Akash RPC slow or stale',
    group: 'platform',
    expr: RPC_BAD,
    op: 'gt',
    threshold: 0,
    for: '2m',
    severity: 'warning',
    layer: 'akash',
    summary: 'Akash RPC slower than its threshold or chain data stale',
    description:
      'An RPC round trip, or a request still unanswered, took longer than rpcLatencyThresholdMs (5 s by default; hmx_akash_rpc_slow, full latencies in rpc_client_call_duration_seconds), or the chain values are the last good ones, not fresh (hmx_akash_stale{akash_part="chain"}).',
    runbook: 'akash-rpc-slow-or-stale',
  },
  {
    uid: 'hmx-akash-lease-drop',
    title: 'Akash provider lease drop',
    group: 'platform',
    expr: LEASE_DROP,
    op: 'gt',
    threshold: 0.2,
    for: '0s',
    severity: 'warning',
    layer: 'akash',
    window: 1800,
    summary: 'Provider {{ $labels.akash_provider }} lost more than 20 % of its active leases',
    description: 'hmx_akash_provider_leases is more than 20 % below its maximum of the last 30 minutes.',
    runbook: 'akash-provider-lease-drop',
  },
  {
    uid: 'hmx-dissonance',
    title: 'Dissonance above 0.3',
    group: 'harmonix',
    expr: DISSONANCE,
    op: 'gt',
    threshold: DISSONANCE_THRESHOLD,
    for: '1m',
    severity: 'warning',
    layer: 'harmonix',
    summary: 'Dissonance Δ_t = {{ $values.B }} is above 0.3',
    description:
      'hmx_dissonance_ratio is above the 0.3 threshold of the shadow-metrics service (docs/sources/harmonix.md). The harmonix source also records the crossing as an audit event.',
    runbook: 'dissonance-above-03',
  },
  {
    uid: 'hmx-incidents-error',
    title: 'Active error incidents',
    group: 'harmonix',
    expr: 'sum(hmx_incidents_active{severity=~"error|critical"})',
    op: 'gt',
    threshold: 0,
    for: '1m',
    severity: 'critical',
    layer: 'observer',
    summary: '{{ $values.B }} active incident(s) of severity error or critical',
    description: 'The observer world model has unresolved incidents of severity error or critical (hmx_incidents_active).',
    runbook: 'active-error-incidents',
  },
  {
    uid: 'hmx-collector-source-failing',
    title: 'Collector source failing',
    group: 'collector',
    expr: 'min by (instance, hmx_source) (hmx_collector_source_up)',
    op: 'lt',
    threshold: 1,
    for: '2m',
    severity: 'warning',
    layer: 'collector',
    summary: 'Source {{ $labels.hmx_source }} of collector {{ $labels.instance }} is failing',
    description: 'hmx_collector_source_up is 0: collection attempts fail after retries, or the circuit breaker is open.',
    runbook: 'collector-source-failing',
  },
  {
    uid: 'hmx-collector-frames-dropped',
    title: 'Collector dropping records',
    group: 'collector',
    expr: 'sum by (instance, hmx_source, hmx_drop_reason) (increase(hmx_collector_frames_dropped_total[5m]))',
    op: 'gt',
    threshold: 0,
    for: '1m',
    severity: 'warning',
    layer: 'collector',
    summary: 'Collector {{ $labels.instance }} dropped records from {{ $labels.hmx_source }} ({{ $labels.hmx_drop_reason }})',
    description: 'Records or samples failed the contract schema and were dropped (hmx_collector_frames_dropped_total).',
    runbook: 'collector-dropping-records',
  },
  {
    uid: 'hmx-collector-otlp-export-failing',
    title: 'OTLP export failing',
    group: 'collector',
    expr: 'sum by (job, instance) (rate(hmx_collector_export_failures_total[2m]))',
    op: 'gt',
    threshold: 0,
    for: '3m',
    severity: 'critical',
    layer: 'collector',
    summary: 'Collector {{ $labels.instance }} cannot export OTLP',
    description:
      'hmx_collector_export_failures_total is rising: the OTel Collector endpoint refuses or does not answer. Prometheus scrapes the collector directly (job hmx-collector-self), so this fires while the OTLP path is down.',
    runbook: 'otlp-export-failing',
  },
  {
    uid: 'hmx-collector-cpu',
    title: 'Collector CPU overhead above 5 %',
    group: 'collector',
    expr: CPU_SHARE,
    op: 'gt',
    threshold: 0.05,
    for: '10m',
    severity: 'warning',
    layer: 'collector',
    summary: 'Collector {{ $labels.instance }} uses more than 5 % of a CPU core',
    description: 'rate(process_cpu_time_seconds_total[5m]) of the hmx-collector is above 0.05 CPU seconds per second.',
    runbook: 'collector-cpu-overhead',
  },
];

const GROUP_INTERVAL: Record<AlertSpec['group'], string> = { topology: '30s', platform: '1m', harmonix: '1m', collector: '1m' };

/** Provisioning files interpolate $VAR from the environment: a literal $ (Go templates) is written $$. */
const escapeDollar = (s: string) => s.replaceAll('$', () => '$$');

function rule(a: AlertSpec) {
  return {
    uid: a.uid,
    title: a.title,
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: a.window ?? 600, to: 0 },
        datasourceUid: 'prometheus',
        model: {
          refId: 'A',
          datasource: { type: 'prometheus', uid: 'prometheus' },
          expr: a.expr,
          instant: true,
          range: false,
          intervalMs: 15000,
          maxDataPoints: 43200,
        },
      },
      {
        refId: 'B',
        datasourceUid: '__expr__',
        model: {
          refId: 'B',
          datasource: { type: '__expr__', uid: '__expr__' },
          type: 'reduce',
          expression: 'A',
          reducer: 'last',
          settings: { mode: 'dropNN' },
        },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          datasource: { type: '__expr__', uid: '__expr__' },
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: a.op, params: [a.threshold] } }],
        },
      },
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: a.for,
    annotations: {
      summary: escapeDollar(a.summary),
      description: escapeDollar(a.description),
      runbook_url: `${'$'}{HMX_RUNBOOK_URL}#${a.runbook}`,
    },
    labels: { severity: a.severity, layer: a.layer, team: 'harmonix' },
    isPaused: false,
  };
}

export const CONTACT_POINT = 'hmx-self-healing';

export function alertRulesFile() {
  const groups = (['topology', 'platform', 'harmonix', 'collector'] as const).map((g) => ({
    orgId: 1,
    name: g,
    folder: ALERT_FOLDER,
    interval: GROUP_INTERVAL[g],
    rules: alertSpecs.filter((a) => a.group === g).map(rule),
  }));
  return { apiVersion: 1, groups };
}

export function contactPointsFile() {
  return {
    apiVersion: 1,
    contactPoints: [
      {
        orgId: 1,
        name: CONTACT_POINT,
        receivers: [
          {
            uid: 'hmx-self-healing-webhook',
            type: 'webhook',
            disableResolveMessage: false,
            settings: {
              // The hmx-collector's POST /v1/alerts (Grafana webhook payload) → Harmonix self-healing hooks.
              url: '$HMX_ALERT_WEBHOOK_URL',
              httpMethod: 'POST',
              authorization_scheme: 'Bearer',
              authorization_credentials: '$HMX_TOKEN',
              maxAlerts: 100,
            },
          },
        ],
      },
    ],
    policies: [
      {
        orgId: 1,
        receiver: CONTACT_POINT,
        group_by: ['grafana_folder', 'alertname'],
        group_wait: '10s',
        group_interval: '1m',
        repeat_interval: '1h',
        routes: [{ receiver: CONTACT_POINT, object_matchers: [['severity', '=', 'critical']], group_wait: '0s', repeat_interval: '15m' }],
      },
    ],
  };
}
