// The observer's world state: built only from events, in order, so the same events always give the same world.
import { diagnosticRefs, type ObserverEvent, type Severity, SEVERITIES } from './event.js';

export interface NodeState {
  name: string;
  status: 'online' | 'offline' | 'unknown';
  last_seen: string | null;
  lastSeenMs: number;
  last_change: string | null;
}

export interface ServiceState {
  node: string;
  service: string;
  status: 'healthy' | 'unhealthy' | 'unknown';
  last_event: string | null;
  last_change: string | null;
  reason: string | null;
  active_incident: string | null;
  incidents_total: number;
}

export interface Incident {
  id: string;
  node: string;
  service: string;
  status: 'active' | 'resolved';
  severity: Severity;
  started_at: string;
  last_occurrence: string;
  occurrence_count: number;
  events: string[];
  correlation_id: string | null;
  resolved_at: string | null;
  diagnostics: string[];
  types: string[];
}

export interface Stage {
  name: string;
  status: string;
  started_at: string;
  ended_at: string | null;
}

/** An earlier run under the same correlation id (a re-run starts a new attempt; the latest is the deployment itself). */
export interface Attempt {
  attempt: number;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string;
  ended_at: string | null;
  stages: Stage[];
  diagnostics: string[];
}

export interface HistoryEntry {
  timestamp: string;
  type: string;
  stage?: string;
  status?: string;
  message?: string;
}

export interface Deployment {
  correlation_id: string;
  node: string | null;
  service: string | null;
  status: 'running' | 'succeeded' | 'failed';
  attempt: number;
  started_at: string;
  ended_at: string | null;
  stages: Stage[];
  history: HistoryEntry[];
  diagnostics: string[];
  /** Earlier attempts, oldest first (at most maxAttempts; older ones are counted in attempts_dropped). */
  attempts: Attempt[];
}

export interface Counters {
  applied: number;
  ignored: number;
  malformed: number;
  last_event: string | null;
  /** Runs that never ended, dropped to keep at most maxRunningDeployments. */
  deployments_evicted: number;
  /** Earlier attempts dropped to keep at most maxAttempts per correlation id. */
  attempts_dropped: number;
}

const newCounters = (): Counters => ({ applied: 0, ignored: 0, malformed: 0, last_event: null, deployments_evicted: 0, attempts_dropped: 0 });

/** What changed while recording (drained by the source after each batch to produce contract records). */
export interface Changes {
  incidents: Map<string, { opened: boolean; resolved: boolean; updated: boolean }>;
  deployments: Set<string>;
}

export interface WorldLimits {
  /** Timestamps kept per incident's `events` (the most recent; occurrence_count still counts all). */
  maxIncidentEvents: number;
  /** Resolved incidents kept (oldest resolution forgotten first). */
  maxResolvedIncidents: number;
  /** Finished deployments kept (oldest end forgotten first). */
  maxFinishedDeployments: number;
  /** History entries kept per deployment. */
  maxDeploymentHistory: number;
  /** Runs still running kept (a run that never ends is evicted, oldest start first, and counted). */
  maxRunningDeployments: number;
  /** Earlier attempts kept per correlation id. */
  maxAttempts: number;
}

export const DEFAULT_LIMITS: WorldLimits = {
  maxIncidentEvents: 1000,
  maxResolvedIncidents: 5000,
  maxFinishedDeployments: 5000,
  maxDeploymentHistory: 200,
  maxRunningDeployments: 1000,
  maxAttempts: 20,
};

/** First-in first-out ids with O(1) removal at the head (retention of finished things). */
class Fifo {
  private head = 0;
  constructor(private items: string[] = []) {}
  push(id: string): void {
    this.items.push(id);
  }
  get size(): number {
    return this.items.length - this.head;
  }
  shift(): string {
    const id = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return id;
  }
  toJSON(): string[] {
    return this.items.slice(this.head);
  }
}

/**
 * A Fifo of ids that may be queued several times (a correlation id re-run): an id is due only when its last entry
 * leaves the queue, so retention never drops a run because an earlier run of the same id was old.
 */
class RepeatFifo {
  private readonly pending = new Map<string, number>();
  constructor(private readonly fifo = new Fifo()) {
    for (const id of fifo.toJSON()) this.pending.set(id, (this.pending.get(id) ?? 0) + 1);
  }
  push(id: string): void {
    this.fifo.push(id);
    this.pending.set(id, (this.pending.get(id) ?? 0) + 1);
  }
  get size(): number {
    return this.fifo.size;
  }
  /** The id at the head, and whether that was its last entry. */
  shift(): { id: string; last: boolean } {
    const id = this.fifo.shift();
    const left = (this.pending.get(id) ?? 1) - 1;
    if (left === 0) this.pending.delete(id);
    else this.pending.set(id, left);
    return { id, last: left === 0 };
  }
  toJSON(): string[] {
    return this.fifo.toJSON();
  }
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };
const FAILURE_TYPES = new Set(['service_unhealthy', 'healthcheck_failed']);
const DEPLOYMENT_TYPES = new Set(['deployment_started', 'deployment_stage', 'deployment_succeeded', 'deployment_completed', 'deployment_failed']);
const serviceKey = (node: string, service: string) => `${node}/${service}`;

export class World {
  nodes = new Map<string, NodeState>();
  services = new Map<string, ServiceState>();
  incidents = new Map<string, Incident>();
  deployments = new Map<string, Deployment>();
  /** Resolved incident ids in resolution order, finished deployments in end order (retention limits). */
  resolvedOrder = new Fifo();
  finishedOrder = new RepeatFifo();
  /** Correlation ids of the runs still running, in the order they started (a Set keeps insertion order). */
  running = new Set<string>();
  counters: Counters = newCounters();
  changes: Changes | null = null;
  /** Epoch ms of the event being applied (the parser's, so the event object needs no property added). */
  private ms = 0;

  constructor(readonly limits: WorldLimits = DEFAULT_LIMITS) {}

  /** Start collecting changes (the library rebuild does not need them). */
  record(): void {
    this.changes = { incidents: new Map(), deployments: new Set() };
  }

  drain(): Changes {
    const out = this.changes ?? { incidents: new Map(), deployments: new Set() };
    this.changes = this.changes && { incidents: new Map(), deployments: new Set() };
    return out;
  }

  malformed(): void {
    this.counters.malformed++;
  }

  apply(e: ObserverEvent, ms: number): void {
    this.ms = ms;
    const t = e.type;
    if (FAILURE_TYPES.has(t)) this.failure(e, e.node!, e.service!, diagnosticRefs(e.payload));
    else if (t === 'service_recovered') this.recovered(e);
    else if (t === 'node_online' || t === 'node_heartbeat') this.nodeStatus(e, 'online');
    else if (t === 'node_offline') this.nodeStatus(e, 'offline');
    else if (t.startsWith('deployment_') && this.deployment(e)) {
      /* applied */
    } else {
      this.counters.ignored++;
      return;
    }
    this.counters.applied++;
    this.counters.last_event = e.timestamp;
  }

  private touchNode(name: string, e: ObserverEvent): NodeState {
    let node = this.nodes.get(name);
    if (!node) {
      node = { name, status: 'unknown', last_seen: null, lastSeenMs: -Infinity, last_change: null };
      this.nodes.set(name, node);
    }
    if (this.ms >= node.lastSeenMs) {
      node.lastSeenMs = this.ms;
      node.last_seen = e.timestamp;
    }
    return node;
  }

  private nodeStatus(e: ObserverEvent, status: 'online' | 'offline'): void {
    const node = this.touchNode(e.node!, e);
    if (node.status !== status) {
      node.status = status;
      node.last_change = e.timestamp;
    }
  }

  private service(node: string, service: string, e: ObserverEvent): ServiceState {
    this.touchNode(node, e);
    const key = serviceKey(node, service);
    let s = this.services.get(key);
    if (!s) {
      s = { node, service, status: 'unknown', last_event: null, last_change: null, reason: null, active_incident: null, incidents_total: 0 };
      this.services.set(key, s);
    }
    s.last_event = e.timestamp;
    return s;
  }

  private failure(e: ObserverEvent, node: string, service: string, diagnostics: readonly string[]): void {
    const s = this.service(node, service, e);
    if (s.status !== 'unhealthy') s.last_change = e.timestamp;
    s.status = 'unhealthy';
    s.reason = e.message ?? e.type;
    const severity = e.severity ?? 'error';
    let inc = s.active_incident ? this.incidents.get(s.active_incident) : undefined;
    if (!inc) {
      inc = this.openIncident(s, e, severity);
    } else {
      inc.occurrence_count++;
      inc.last_occurrence = e.timestamp;
      inc.events.push(e.timestamp);
      if (inc.events.length > this.limits.maxIncidentEvents) inc.events.shift();
      if (RANK[severity] > RANK[inc.severity]) inc.severity = severity;
      inc.correlation_id ??= e.correlation_id ?? null;
      this.change(inc.id, 'updated');
    }
    if (!inc.types.includes(e.type)) inc.types.push(e.type);
    for (const d of diagnostics) if (!inc.diagnostics.includes(d)) inc.diagnostics.push(d);
  }

  private openIncident(s: ServiceState, e: ObserverEvent, severity: Severity): Incident {
    const base = `inc-${Math.floor(this.ms / 1000)}-${s.node}-${s.service}`;
    let id = base;
    for (let n = 2; this.incidents.has(id); n++) id = `${base}-${n}`;
    const inc: Incident = {
      id,
      node: s.node,
      service: s.service,
      status: 'active',
      severity,
      started_at: e.timestamp,
      last_occurrence: e.timestamp,
      occurrence_count: 1,
      events: [e.timestamp],
      correlation_id: e.correlation_id ?? null,
      resolved_at: null,
      diagnostics: [],
      types: [],
    };
    this.incidents.set(id, inc);
    s.active_incident = id;
    s.incidents_total++;
    this.change(id, 'opened');
    return inc;
  }

  /** With a node: that service; without: the service of that name on every node (in key order). */
  private recovered(e: ObserverEvent): void {
    if (e.node) this.heal(this.service(e.node, e.service!, e), e);
    else {
      const keys = [...this.services.values()]
        .filter((s) => s.service === e.service)
        .map((s) => serviceKey(s.node, s.service))
        .sort();
      for (const key of keys) this.heal(this.services.get(key)!, e);
    }
  }

  private heal(s: ServiceState, e: ObserverEvent): void {
    if (s.status !== 'healthy') s.last_change = e.timestamp;
    s.status = 'healthy';
    s.reason = null;
    s.last_event = e.timestamp;
    const inc = s.active_incident ? this.incidents.get(s.active_incident) : undefined;
    s.active_incident = null;
    if (!inc) return;
    inc.status = 'resolved';
    inc.resolved_at = e.timestamp;
    this.change(inc.id, 'resolved');
    this.resolvedOrder.push(inc.id);
    while (this.resolvedOrder.size > this.limits.maxResolvedIncidents) this.incidents.delete(this.resolvedOrder.shift());
  }

  /** Returns false for deployment_* types the world does not know. */
  private deployment(e: ObserverEvent): boolean {
    const t = e.type;
    if (!DEPLOYMENT_TYPES.has(t)) return false;
    const cid = e.correlation_id!;
    let d = this.deployments.get(cid);
    if (!d || t === 'deployment_started') d = this.startDeployment(cid, e, d);
    d.node ??= e.node ?? null;
    d.service ??= e.service ?? null;
    if (e.node) this.touchNode(e.node, e);
    const stage = typeof e.payload?.stage === 'string' ? e.payload.stage.slice(0, 200) : undefined;
    const status = typeof e.payload?.status === 'string' ? e.payload.status.slice(0, 40) : undefined;
    // Built field by field (no spread of temporary objects): this runs for every deployment event.
    const entry: HistoryEntry = { timestamp: e.timestamp, type: t };
    if (stage) entry.stage = stage;
    if (status) entry.status = status;
    if (e.message) entry.message = e.message;
    d.history.push(entry);
    if (d.history.length > this.limits.maxDeploymentHistory) d.history.shift();
    if (t === 'deployment_stage' && stage) this.stage(d, stage, status ?? 'started', e.timestamp);
    if (t === 'deployment_succeeded' || t === 'deployment_completed') this.endDeployment(d, 'succeeded', e);
    if (t === 'deployment_failed') {
      const refs = diagnosticRefs(e.payload);
      for (const r of refs) if (!d.diagnostics.includes(r)) d.diagnostics.push(r);
      this.endDeployment(d, 'failed', e);
      if (d.node && d.service) this.failure(e, d.node, d.service, refs);
    }
    return true;
  }

  private startDeployment(cid: string, e: ObserverEvent, previous: Deployment | undefined): Deployment {
    const attempts = previous ? [...previous.attempts, attemptOf(previous)] : [];
    if (attempts.length > this.limits.maxAttempts) this.counters.attempts_dropped += attempts.splice(0, attempts.length - this.limits.maxAttempts).length;
    const d: Deployment = {
      correlation_id: cid,
      node: e.node ?? null,
      service: e.service ?? null,
      status: 'running',
      attempt: (previous?.attempt ?? 0) + 1,
      started_at: e.timestamp,
      ended_at: null,
      stages: [],
      history: previous?.history ?? [],
      diagnostics: [],
      attempts,
    };
    this.deployments.set(cid, d);
    this.running.delete(cid); // a re-run moves to the end: it started last
    this.running.add(cid);
    this.evictNeverEnding();
    return d;
  }

  /** Keeps at most maxRunningDeployments runs running: the one that started first is dropped and counted. */
  private evictNeverEnding(): void {
    for (const cid of this.running) {
      if (this.running.size <= this.limits.maxRunningDeployments) break;
      this.running.delete(cid);
      this.deployments.delete(cid);
      this.counters.deployments_evicted++;
    }
  }

  private stage(d: Deployment, name: string, status: string, at: string): void {
    const open = d.stages.find((s) => s.name === name && s.ended_at === null);
    if (status === 'started' || status === 'running') {
      if (!open) d.stages.push({ name, status: 'running', started_at: at, ended_at: null });
    } else if (open) {
      open.status = status;
      open.ended_at = at;
    } else {
      d.stages.push({ name, status, started_at: at, ended_at: at });
    }
  }

  private endDeployment(d: Deployment, status: 'succeeded' | 'failed', e: ObserverEvent): void {
    this.running.delete(d.correlation_id);
    if (d.ended_at === null) {
      this.finishedOrder.push(d.correlation_id);
      while (this.finishedOrder.size > this.limits.maxFinishedDeployments) {
        const { id, last } = this.finishedOrder.shift();
        // Only the entry of the id's latest end retires it; a restarted run is running again and stays.
        if (last && this.deployments.get(id)?.ended_at !== null) this.deployments.delete(id);
      }
    }
    d.status = status;
    d.ended_at = e.timestamp;
    for (const s of d.stages) {
      if (s.ended_at !== null) continue;
      s.ended_at = e.timestamp;
      s.status = status;
    }
    this.changes?.deployments.add(d.correlation_id);
  }

  private change(id: string, what: 'opened' | 'updated' | 'resolved'): void {
    if (!this.changes) return;
    const c = this.changes.incidents.get(id) ?? { opened: false, resolved: false, updated: false };
    c[what] = true;
    this.changes.incidents.set(id, c);
  }

  activeBySeverity(): Record<Severity, number> {
    const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const s of this.services.values()) {
      const inc = s.active_incident ? this.incidents.get(s.active_incident) : undefined;
      if (inc) out[inc.severity]++;
    }
    return out;
  }

  /** Plain data for the checkpoint (maps as entry lists, in insertion order, so a restore iterates identically). */
  snapshot(): unknown {
    const nodes = [...this.nodes.values()].map(({ lastSeenMs: _, ...n }) => n);
    return {
      nodes,
      services: [...this.services.values()],
      incidents: [...this.incidents.values()],
      deployments: [...this.deployments.values()],
      resolvedOrder: this.resolvedOrder.toJSON(),
      finishedOrder: this.finishedOrder.toJSON(),
      running: [...this.running],
      counters: this.counters,
    };
  }

  static restore(data: unknown, limits: WorldLimits = DEFAULT_LIMITS): World {
    const d = data as {
      nodes: Omit<NodeState, 'lastSeenMs'>[];
      services: ServiceState[];
      incidents: Incident[];
      deployments: Deployment[];
      resolvedOrder: string[];
      finishedOrder: string[];
      running?: string[];
      counters: Partial<Counters>;
    };
    const w = new World(limits);
    for (const n of d.nodes) w.nodes.set(n.name, { ...n, lastSeenMs: n.last_seen === null ? -Infinity : Date.parse(n.last_seen) });
    for (const s of d.services) w.services.set(serviceKey(s.node, s.service), s);
    for (const i of d.incidents) w.incidents.set(i.id, i);
    for (const x of d.deployments) w.deployments.set(x.correlation_id, { ...x, attempts: x.attempts ?? [] });
    w.resolvedOrder = new Fifo(d.resolvedOrder);
    w.finishedOrder = new RepeatFifo(new Fifo(d.finishedOrder));
    // A checkpoint from before run eviction has no start order: the running runs in the order they were recorded.
    w.running = new Set(d.running ?? [...w.deployments.values()].filter((x) => x.status === 'running').map((x) => x.correlation_id));
    w.counters = { ...newCounters(), ...d.counters };
    return w;
  }
}

const attemptOf = (d: Deployment): Attempt => ({
  attempt: d.attempt,
  status: d.status,
  started_at: d.started_at,
  ended_at: d.ended_at,
  stages: d.stages,
  diagnostics: d.diagnostics,
});
