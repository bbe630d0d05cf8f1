// Harmonix: daemons, dissonance against the 0.3 threshold, observer incidents and deployments.
import { dashboard, lokiAnnotation, loki, logs, prom, stat, timeseries, traceql, traces } from '../model.js';
import { DISSONANCE, DISSONANCE_THRESHOLD, EVENTS_AUDIT, INCIDENTS_BY_SEVERITY } from '../queries.js';

export const harmonix = dashboard({
  uid: 'hmx-harmonix',
  title: 'Harmonix',
  description: 'HMX daemons, dissonance (Δ_t, threshold 0.3), observer incidents and deployment runs.',
  tags: ['harmonix'],
  annotations: [
    lokiAnnotation({
      name: 'Audits and annotations',
      iconColor: 'yellow',
      expr: `${EVENTS_AUDIT} | json`,
      titleFormat: '{{subject}}',
      textFormat: '{{message}}',
      tagKeys: 'severity',
    }),
  ],
  rows: [
    [
      stat('Daemons running', [prom('A', 'sum(hmx_actor_up{hmx_layer="harmonix"})', 'running', true)], { colorMode: 'value' }),
      stat('Daemons down', [prom('A', 'count(hmx_actor_up{hmx_layer="harmonix"} == 0)', 'down', true)], {
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
      }),
      stat('Active incidents', [prom('A', INCIDENTS_BY_SEVERITY, '{{severity}}', true)], {
        w: 12,
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
      }),
    ],
    [
      timeseries('Dissonance Δ_t', [prom('A', DISSONANCE, '{{hmx_dissonance_source}}')], {
        w: 24,
        min: 0,
        thresholdLines: [[DISSONANCE_THRESHOLD, 'red']],
        description:
          'Dissonance per source; the red line is the 0.3 threshold of the shadow-metrics service, see docs/sources/harmonix.md (alert: Dissonance above 0.3).',
      }),
    ],
    [
      timeseries('Daemon status probes (1 = valid answer)', [prom('A', 'max by (hmx_daemon_name) (hmx_daemon_up_ratio)', '{{hmx_daemon_name}}')], {
        min: 0,
        max: 1,
      }),
      timeseries('Probe duration', [prom('A', 'max by (hmx_daemon_name) (hmx_daemon_probe_duration_seconds)', '{{hmx_daemon_name}}')], { unit: 's' }),
    ],
    [
      timeseries('Daemon uptime', [prom('A', 'max by (hmx_daemon_name) (hmx_daemon_uptime_seconds)', '{{hmx_daemon_name}}')], { unit: 's' }),
      timeseries('Daemon restarts (1h)', [
        prom('A', 'sum by (hmx_actor_id) (increase(hmx_actor_restarts_total{hmx_actor_id=~"hmx:.+"}[1h]))', '{{hmx_actor_id}}'),
      ]),
    ],
    [
      timeseries('Observer services by status', [prom('A', 'sum by (status) (hmx_observer_services)', '{{status}}')], { stack: true }),
      timeseries('Deployments in progress', [prom('A', 'sum(hmx_observer_deployments_running)', 'running')]),
    ],
    [traces('Deployment runs (traces)', traceql('A', '{ name =~ "deployment .+" }'))],
    [logs('Audit trail (dissonance, incidents, annotations)', loki('A', `${EVENTS_AUDIT} | json`))],
  ],
});
