export interface PanelOptions {
  /** refId of the query returning hmx_node_up series */
  nodesRefId: string;
  /** refId of the query returning hmx_actor_up series */
  actorsRefId: string;
  /** refId of the query returning flow rates (hmx_flow_messages_total or servicegraph) */
  flowsRefId: string;
  /** refId of the query returning lifecycle events (Loki lines with contract JSON) */
  eventsRefId: string;
  tempoUid: string;
  lokiUid: string;
  /** LogQL stream selector used for lifecycle click-through */
  lokiSelector: string;
  /** TraceQL attribute holding the actor id */
  traceAttribute: string;
  highContrast: boolean;
  particles: boolean;
  showLabels: boolean;
  /** how long exited actors / departed nodes stay visible as ghosts */
  ghostSeconds: number;
  /** how long spawns and restarts flash */
  flashSeconds: number;
  /** open in live mode (playhead follows now) */
  liveByDefault: boolean;
  /** read the stored data itself (Loki `lokiUid`, `lokiSelector`): 'auto' for ranges longer than one
   * window, 'always', or 'off' (dashboard frames only) */
  storedData: string;
  /** length of one stored-data window around the playhead */
  storedWindowMinutes: number;
  /** Prometheus datasource uid for the windows' flow rates in stored mode ('' = keep the dashboard's flow frames) */
  prometheusUid: string;
}

export const defaultOptions: PanelOptions = {
  nodesRefId: 'nodes',
  actorsRefId: 'actors',
  flowsRefId: 'flows',
  eventsRefId: 'events',
  tempoUid: 'tempo',
  lokiUid: 'loki',
  lokiSelector: '{service_name="hmx-collector"}',
  traceAttribute: 'span.hmx.source.actor.id',
  highContrast: false,
  particles: true,
  showLabels: true,
  ghostSeconds: 60,
  flashSeconds: 10,
  liveByDefault: true,
  storedData: 'auto',
  storedWindowMinutes: 60,
  prometheusUid: 'prometheus',
};

/** Fills missing options (older saved panels, partial JSON) with defaults. */
export function withDefaults(o: Partial<PanelOptions> | undefined): PanelOptions {
  const out: PanelOptions = { ...defaultOptions };
  if (!o) {
    return out;
  }
  for (const key of Object.keys(defaultOptions) as Array<keyof PanelOptions>) {
    const v = o[key];
    if (v !== undefined && v !== null && typeof v === typeof defaultOptions[key]) {
      (out as unknown as Record<string, unknown>)[key] = v;
    }
  }
  return out;
}
