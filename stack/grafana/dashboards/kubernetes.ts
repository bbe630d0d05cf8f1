// Kubernetes: the kubernetes source (OTel k8s.* semantic conventions) plus the k8s layer of the topology.
import { dashboard, prom, stat, table, timeseries } from '../model.js';

export const NODE_NOT_READY = 'max by (k8s_node_name) (k8s_node_condition_status{k8s_node_condition_type="Ready", k8s_node_condition_status!="true"})';
export const CONTAINER_RESTARTS_10M = 'max by (k8s_namespace_name, k8s_pod_name, k8s_container_name) (increase(k8s_container_restart_count[10m]))';

export const kubernetes = dashboard({
  uid: 'hmx-kubernetes',
  title: 'Kubernetes',
  description: 'k3s / Kubernetes nodes and pods seen by the hmx-collector kubernetes source.',
  tags: ['harmonix', 'kubernetes'],
  rows: [
    [
      stat('Nodes not Ready', [prom('A', `sum(${NODE_NOT_READY})`, 'not ready', true)], {
        steps: [
          [null, 'green'],
          [1, 'red'],
        ],
      }),
      stat('Pods by phase', [prom('A', 'sum by (k8s_pod_status_phase) (k8s_pod_status_phase)', '{{k8s_pod_status_phase}}', true)], {
        w: 12,
        colorMode: 'value',
      }),
      stat('Containers not ready', [prom('A', 'count(k8s_container_ready == 0)', 'not ready', true)], {
        steps: [
          [null, 'green'],
          [1, 'orange'],
        ],
      }),
    ],
    [
      table('Node conditions', [prom('A', 'k8s_node_condition_status{k8s_node_condition_status="true"} == 1', '', true)]),
      table('Restarting containers (10m)', [prom('A', `${CONTAINER_RESTARTS_10M} > 0`, '', true)]),
    ],
    [
      timeseries('Pod CPU', [prom('A', 'sum by (k8s_namespace_name, k8s_pod_name) (k8s_pod_cpu_usage)', '{{k8s_namespace_name}}/{{k8s_pod_name}}')], {
        unit: 'short',
      }),
      timeseries(
        'Pod memory',
        [prom('A', 'sum by (k8s_namespace_name, k8s_pod_name) (k8s_pod_memory_usage_bytes)', '{{k8s_namespace_name}}/{{k8s_pod_name}}')],
        { unit: 'bytes' },
      ),
    ],
    [
      timeseries('Allocatable CPU per node', [prom('A', 'max by (k8s_node_name) (k8s_node_cpu_allocatable)', '{{k8s_node_name}}')]),
      timeseries('Allocatable memory per node', [prom('A', 'max by (k8s_node_name) (k8s_node_memory_allocatable_bytes)', '{{k8s_node_name}}')], {
        unit: 'bytes',
      }),
    ],
    [
      timeseries('Pods running on the topology (k8s layer)', [prom('A', 'sum by (hmx_node_id) (hmx_actor_up{hmx_layer="kubernetes"})', '{{hmx_node_id}}')], {
        w: 24,
      }),
    ],
  ],
});
