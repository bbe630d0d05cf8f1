// World state + inventory → the five world files, as deterministic JSON (sorted keys, no wall clock).
import type { Inventory } from './inventory.js';
import { resolveDiagnostic } from './logs.js';
import type { MarkerScan, StageMarker } from './markers.js';
import type { Deployment, Stage, World } from './world.js';

/** Inputs besides the events: stage markers from the state directory and the logs directory. */
export interface SideInputs {
  markers?: MarkerScan;
  logsDir?: string;
}

export const WORLD_FILES = ['nodes.json', 'services.json', 'deployments.json', 'incidents.json', 'runtime-summary.json'] as const;
export type WorldFileName = (typeof WORLD_FILES)[number];

/** JSON with object keys sorted at every level, so equal worlds are equal bytes. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/**
 * A map of entities as one entity per line, ids sorted. `keys` lists every field name that may occur at any
 * depth, sorted: JSON.stringify then writes fields in that order at every level (and leaves out unknown ones —
 * the unit tests check against stableJson that nothing is lost). Much cheaper than a deep key sort.
 */
function entityLines(entries: Iterable<[string, unknown]>, keys: readonly string[]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return '{}\n';
  return `{\n${sorted.map(([id, e]) => `  ${JSON.stringify(id)}: ${JSON.stringify(e, keys as string[])}`).join(',\n')}\n}\n`;
}

const NODE_KEYS = ['address', 'declared', 'description', 'last_change', 'last_seen', 'name', 'roles', 'status'] as const;
const SERVICE_KEYS = [
  'active_incident',
  'declared',
  'description',
  'healthcheck',
  'incidents_total',
  'last_change',
  'last_event',
  'node',
  'port',
  'reason',
  'service',
  'status',
] as const;
// Fields of diagnostic_files entries, merged into the lists that contain them (the lists must stay sorted).
const DIAGNOSTIC_FILE_KEYS = ['bytes', 'path', 'ref', 'status'] as const;
const sorted = (...keys: string[]) => [...new Set(keys)].sort();
const INCIDENT_KEYS = sorted(
  ...DIAGNOSTIC_FILE_KEYS,
  'correlation_id',
  'diagnostic_files',
  'diagnostics',
  'events',
  'id',
  'last_occurrence',
  'node',
  'occurrence_count',
  'resolved_at',
  'service',
  'severity',
  'started_at',
  'status',
  'types',
);
const DEPLOYMENT_KEYS = sorted(
  ...DIAGNOSTIC_FILE_KEYS,
  'attempt',
  'attempts',
  'correlation_id',
  'diagnostic_files',
  'diagnostics',
  'duration_seconds',
  'ended_at',
  'history',
  'message',
  'name',
  'node',
  'service',
  'stage',
  'stages',
  'started_at',
  'status',
  'timestamp',
  'type',
);

export function projectWorld(world: World, inv: Inventory, side: SideInputs = {}): Record<WorldFileName, string> {
  const nodes: Record<string, { status: string; [k: string]: unknown }> = {};
  for (const name of new Set([...inv.nodes.keys(), ...world.nodes.keys()])) {
    const n = world.nodes.get(name);
    const i = inv.nodes.get(name);
    nodes[name] = {
      name,
      status: n?.status ?? 'unknown',
      last_seen: n?.last_seen ?? null,
      last_change: n?.last_change ?? null,
      declared: i !== undefined,
      roles: i?.roles ?? [],
      address: i?.address ?? null,
      description: i?.description ?? null,
    };
  }
  const services: Record<string, { status: string; [k: string]: unknown }> = {};
  for (const key of new Set([...inv.services.keys(), ...world.services.keys()])) {
    const s = world.services.get(key);
    const i = inv.services.get(key);
    const [node, service] = key.split('/') as [string, string];
    services[key] = {
      node,
      service,
      status: s?.status ?? 'unknown',
      reason: s?.reason ?? null,
      last_event: s?.last_event ?? null,
      last_change: s?.last_change ?? null,
      active_incident: s?.active_incident ?? null,
      incidents_total: s?.incidents_total ?? 0,
      declared: i !== undefined,
      port: i?.port ?? null,
      healthcheck: i?.healthcheck ?? null,
      description: i?.description ?? null,
    };
  }
  const markers = groupMarkers(side.markers?.markers ?? []);
  let applied = 0;
  const files = (refs: string[]) => (side.logsDir === undefined ? undefined : refs.map((r) => resolveDiagnostic(side.logsDir!, r)));
  const deployments = [...world.deployments].map(([cid, d]): [string, unknown] => {
    const end = d.ended_at === null ? null : Date.parse(d.ended_at);
    const own = markers.get(cid)?.filter((m) => Date.parse(m.timestamp) >= Date.parse(d.started_at)) ?? [];
    applied += own.length;
    const stages = own.length > 0 ? withMarkers(d, own) : d.stages;
    return [cid, { ...d, stages, diagnostic_files: files(d.diagnostics), duration_seconds: end === null ? null : (end - Date.parse(d.started_at)) / 1000 }];
  });
  const incidents = [...world.incidents].map(([id, inc]): [string, unknown] => [id, { ...inc, diagnostic_files: files(inc.diagnostics) }]);
  const summary = {
    ...summarise(world, nodes, services),
    ...(side.markers && {
      stage_markers: { applied, unmatched: side.markers.markers.length - applied, invalid: side.markers.invalid.length, not_read: side.markers.skipped },
    }),
  };
  return {
    'nodes.json': entityLines(Object.entries(nodes), NODE_KEYS),
    'services.json': entityLines(Object.entries(services), SERVICE_KEYS),
    'deployments.json': entityLines(deployments, DEPLOYMENT_KEYS),
    'incidents.json': entityLines(incidents, INCIDENT_KEYS),
    'runtime-summary.json': stableJson(summary),
  };
}

function count<T>(items: Iterable<T>, key: (t: T) => string, init: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(init.map((k) => [k, 0]));
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Services by status, over the inventory and the world (what services.json lists; the metric uses the same). */
export function servicesByStatus(world: World, inv: Inventory): Record<string, number> {
  const statuses = [...new Set([...inv.services.keys(), ...world.services.keys()])].map((key) => world.services.get(key)?.status ?? 'unknown');
  return count(statuses, (s) => s, ['healthy', 'unhealthy', 'unknown']);
}

function summarise(world: World, nodes: Record<string, { status: string }>, services: Record<string, { status: string }>) {
  const status = (x: { status: string }) => x.status;
  const active = [...world.incidents.values()].filter((i) => i.status === 'active');
  return {
    as_of: world.counters.last_event,
    events: { applied: world.counters.applied, ignored: world.counters.ignored, malformed_lines: world.counters.malformed },
    nodes: { total: Object.keys(nodes).length, ...count(Object.values(nodes), status, ['online', 'offline', 'unknown']) },
    services: { total: Object.keys(services).length, ...count(Object.values(services), status, ['healthy', 'unhealthy', 'unknown']) },
    incidents: {
      active: active.length,
      active_by_severity: world.activeBySeverity(),
      resolved: world.incidents.size - active.length,
      active_ids: active.map((i) => i.id).sort(),
    },
    deployments: {
      total: world.deployments.size,
      ...count(world.deployments.values(), (d) => d.status, ['running', 'succeeded', 'failed']),
      evicted: world.counters.deployments_evicted,
      attempts_dropped: world.counters.attempts_dropped,
    },
  };
}

function groupMarkers(markers: StageMarker[]): Map<string, StageMarker[]> {
  const out = new Map<string, StageMarker[]>();
  for (const m of markers) out.set(m.correlation_id, [...(out.get(m.correlation_id) ?? []), m]);
  return out;
}

const OPENING = new Set(['started', 'running']);

/**
 * The run's stages with its markers laid over them, in time order (ties by file name): a marker opens a stage
 * (started/running) or closes its open one with the marker's status; a marker for a stage never seen records it.
 * The events' own stages are copied, never changed.
 */
function withMarkers(d: Deployment, markers: StageMarker[]): Stage[] {
  const stages = d.stages.map((s) => ({ ...s }));
  const t = Date.parse;
  const ordered = [...markers].sort((a, b) => t(a.timestamp) - t(b.timestamp) || (a.file < b.file ? -1 : 1));
  for (const m of ordered) {
    const at = t(m.timestamp);
    const seen = stages.findLast((s) => s.name === m.stage);
    if (OPENING.has(m.status)) {
      if (!seen || (seen.ended_at !== null && t(seen.ended_at) < at))
        stages.push({ name: m.stage, status: 'running', started_at: m.timestamp, ended_at: null });
    } else if (!seen) {
      stages.push({ name: m.stage, status: m.status, started_at: m.timestamp, ended_at: m.timestamp });
    } else if (at >= t(seen.ended_at ?? seen.started_at) && seen.status !== m.status) {
      Object.assign(seen, { status: m.status, ended_at: m.timestamp });
    }
  }
  return stages;
}
