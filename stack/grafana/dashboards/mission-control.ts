// Mission Control: the topology canvas and replay, node badges, API integrity, incidents and alerts.
import { dashboard, lokiAnnotation, DS, loki, logs, prom, stat, timeseries, traceql, traces, alertList, type PanelSpec } from '../model.js';
import {
  MESSAGE_TRACES,
  ACTOR_UP,
  EVENTS_ALL,
  EVENTS_AUDIT,
  EVENTS_AUDIT_PROBLEMS,
  EVENTS_NODE_TRANSITIONS,
  FLOW_RATES,
  INCIDENTS_BY_SEVERITY,
  NODE_UP,
  SOURCE_UP,
} from '../queries.js';

import type { PanelOptions } from '../../../grafana-plugin/src/types.js';

export const PANEL_TYPE = 'harmonix-missioncontrol-panel';

/** The canvas options, checked against the panel plugin's own options type. */
const canvasOptions: Partial<PanelOptions> = {
  nodesRefId: 'nodes',
  actorsRefId: 'actors',
  flowsRefId: 'flows',
  eventsRefId: 'events',
  tempoUid: DS.tempo.uid,
  lokiUid: DS.loki.uid,
  lokiSelector: '{service_name="hmx-collector"}',
  // Message spans (collector SDK) carry the sending actor as a span attribute.
  traceAttribute: 'span.hmx.source.actor.id',
  liveByDefault: true,
  // ranges longer than one window: the panel reads Loki (and the flow rates from Prometheus) itself
  storedData: 'auto',
  storedWindowMinutes: 60,
  prometheusUid: DS.prometheus.uid,
};

const canvas: PanelSpec = {
  type: PANEL_TYPE,
  title: 'Mission Control — live topology and replay',
  description: 'Nodes, actors and message flows from the telemetry contract; scrub the timeline to replay lifecycle events.',
  w: 24,
  h: 18,
  targets: [
    prom('nodes', NODE_UP, '{{hmx_node_name}}'),
    prom('actors', ACTOR_UP, '{{hmx_actor_name}}'),
    prom('flows', FLOW_RATES, '{{hmx_source_actor_id}} → {{hmx_destination_actor_id}}'),
    loki('events', EVENTS_ALL, 5000),
  ],
  options: { ...canvasOptions },
};

const nodeMappings: Array<[string, string, string]> = [
  ['1', 'UP', 'green'],
  ['0', 'FAILED', 'red'],
];

export const missionControl = dashboard({
  uid: 'hmx-mission-control',
  title: 'Mission Control',
  description: 'Harmonix Mission Control: live topology, replay, runtime badges, API integrity, incidents and alerts.',
  tags: ['harmonix', 'mission-control'],
  refresh: '10s',
  annotations: [
    lokiAnnotation({
      name: 'Node failures and recoveries',
      iconColor: 'red',
      expr: EVENTS_NODE_TRANSITIONS,
      titleFormat: '{{event_name}}',
      textFormat: '{{hmx_node_id}}',
      tagKeys: 'hmx_layer,hmx_node_id',
    }),
    lokiAnnotation({
      name: 'Audits and annotations',
      iconColor: 'yellow',
      expr: `${EVENTS_AUDIT} | json`,
      titleFormat: '{{subject}}',
      textFormat: '{{message}}',
      tagKeys: 'severity,event_name',
    }),
  ],
  rows: [
    [canvas],
    [
      stat('Node status', [prom('A', NODE_UP, '{{hmx_node_name}}', true)], {
        w: 8,
        h: 6,
        mappings: nodeMappings,
        steps: [
          [null, 'red'],
          [1, 'green'],
        ],
        description: 'hmx_node_up per node: 1 up, 0 failed (a node that left disappears).',
      }),
      stat('Uptime (hosts)', [prom('A', 'max by (host_name) (system_uptime_seconds)', '{{host_name}}', true)], { w: 8, h: 6, unit: 's', colorMode: 'value' }),
      stat(
        'Load per CPU (1m)',
        [prom('A', 'max by (host_name) (system_cpu_load_average_1m) / max by (host_name) (system_cpu_logical_count)', '{{host_name}}', true)],
        {
          w: 8,
          h: 6,
          unit: 'percentunit',
          steps: [
            [null, 'green'],
            [0.7, 'orange'],
            [1, 'red'],
          ],
        },
      ),
    ],
    [
      stat('API integrity — sources', [prom('A', SOURCE_UP, '{{hmx_source}}', true)], {
        w: 8,
        h: 6,
        mappings: [
          ['1', 'OK', 'green'],
          ['0', 'FAILING', 'red'],
        ],
        steps: [
          [null, 'red'],
          [1, 'green'],
        ],
        description: 'hmx_collector_source_up: 1 while the source collects, 0 while failing or its circuit is open.',
      }),
      stat('Active incidents', [prom('A', INCIDENTS_BY_SEVERITY, '{{severity}}', true)], {
        w: 8,
        h: 6,
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
      }),
      alertList('Firing and pending alerts', { w: 8, h: 6 }),
    ],
    [
      timeseries('Collection errors by source', [prom('A', 'sum by (hmx_source) (rate(hmx_collector_collection_errors_total[5m]))', '{{hmx_source}}')], {
        unit: 'ops',
      }),
      timeseries('Lifecycle events by type', [prom('A', 'sum by (hmx_event_type) (rate(hmx_topology_events_total[5m]))', '{{hmx_event_type}}')], {
        unit: 'ops',
        stack: true,
      }),
    ],
    [logs('Incidents and audits (warning and above)', loki('A', EVENTS_AUDIT_PROBLEMS), { h: 8 })],
    [
      traces('Message traces (mesh)', traceql('A', MESSAGE_TRACES), {
        description: 'Producer spans of actor messages (messaging semantic conventions); open one to follow a message across nodes.',
      }),
    ],
  ],
});
