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

export function projectWorld(world: World, inv: Inventory): Record<WorldFileName, string> {
  const nodes: Record<string, unknown> = {};
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
  const services: Record<string, unknown> = {};
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
  const incidents = Object.fromEntries(world.incidents);
  const deployments: Record<string, unknown> = {};
  for (const [cid, d] of world.deployments) {
    const end = d.ended_at === null ? null : Date.parse(d.ended_at);
    deployments[cid] = { ...d, duration_seconds: end === null ? null : (end - Date.parse(d.started_at)) / 1000 };
  }
  const summary = summarise(world, nodes, services);
  return {
    'nodes.json': stableJson(nodes),
    'services.json': stableJson(services),
    'deployments.json': stableJson(deployments),
    'incidents.json': stableJson(incidents),
    'runtime-summary.json': stableJson(summary),
  };
}

function count<T>(items: Iterable<T>, key: (t: T) => string, init: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(init.map((k) => [k, 0]));
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function summarise(world: World, nodes: Record<string, unknown>, services: Record<string, unknown>) {
  const status = (x: unknown) => (x as { status: string }).status;
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
    },
  };
}
