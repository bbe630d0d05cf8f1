// Query strings shared by several dashboards (and the alert rules): one definition each.

/** Loki stream of the hmx-collector's OTLP logs (service.name is an index label, service_name). */
export const HMX_STREAM = '{service_name="hmx-collector"}';

/**
 * Loki keeps OTLP log record attributes as structured metadata with dots replaced by underscores
 * (event.name → event_name, hmx.node.id → hmx_node_id); they are filtered after the selector.
 */
export const lifecycle = (eventNameRegex: string) => `${HMX_STREAM} | event_name=~"${eventNameRegex}"`;

/** Every contract record the panel replays: node/actor lifecycle, audits, annotations and keyframes. */
export const EVENTS_ALL = lifecycle('hmx[.].+');
export const EVENTS_NODE_TRANSITIONS = lifecycle('hmx[.]node[.](failed|left|recovered)');
export const EVENTS_AUDIT = lifecycle('hmx[.](audit|annotation)');
/** Audit records carry subject, message and severity in the JSON body. */
export const EVENTS_AUDIT_PROBLEMS = `${EVENTS_AUDIT} | json | severity=~"warning|error|critical"`;

export const NODE_UP = 'hmx_node_up';
export const ACTOR_UP = 'hmx_actor_up';
export const FLOW_RATES =
  'sum by (hmx_source_actor_id, hmx_destination_actor_id, hmx_source_node_id, hmx_destination_node_id) (rate(hmx_flow_messages_total[1m]))';

export const SOURCE_UP = 'min by (hmx_source) (hmx_collector_source_up)';
export const INCIDENTS_BY_SEVERITY = 'sum by (severity) (hmx_incidents_active)';
/** hmx.dissonance is a gauge with unit "1": prometheusremotewrite adds _ratio (docs/testing.md). */
export const DISSONANCE = 'hmx_dissonance_ratio';
export const DISSONANCE_THRESHOLD = 0.3;

/** TraceQL: the SDK's producer spans of mesh messages (messaging.system defaults to harmonix-mesh). */
export const MESSAGE_TRACES = '{ span.messaging.system = "harmonix-mesh" && kind = producer }';
