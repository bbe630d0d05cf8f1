// World state + inventory → the five world files, as deterministic JSON (sorted keys, no wall clock).
import type { Inventory } from './inventory.js';
import type { World } from './world.js';

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
  'active_incident', 'declared', 'description', 'healthcheck', 'incidents_total', 'last_change', 'last_event', 'node', 'port', 'reason', 'service', 'status',
] as const;
const INCIDENT_KEYS = [
  'correlation_id', 'diagnostics', 'events', 'id', 'last_occurrence', 'node', 'occurrence_count', 'resolved_at', 'service', 'severity', 'started_at', 'status', 'types',
] as const;
const DEPLOYMENT_KEYS = [
  'attempt', 'attempts', 'correlation_id', 'diagnostics', 'duration_seconds', 'ended_at', 'history', 'message', 'name', 'node', 'service', 'stage', 'stages', 'started_at',
  'status', 'timestamp', 'type',
] as const;

export function projectWorld(world: World, inv: Inventory): Record<WorldFileName, string> {
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
  const deployments = [...world.deployments].map(([cid, d]): [string, unknown] => {
    const end = d.ended_at === null ? null : Date.parse(d.ended_at);
    return [cid, { ...d, duration_seconds: end === null ? null : (end - Date.parse(d.started_at)) / 1000 }];
  });
  const summary = summarise(world, nodes, services);
  return {
    'nodes.json': entityLines(Object.entries(nodes), NODE_KEYS),
    'services.json': entityLines(Object.entries(services), SERVICE_KEYS),
    'deployments.json': entityLines(deployments, DEPLOYMENT_KEYS),
    'incidents.json': entityLines(world.incidents, INCIDENT_KEYS),
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
