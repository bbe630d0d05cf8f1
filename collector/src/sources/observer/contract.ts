// World → contract records: nodes and services onto the topology (diffed against what was already emitted),
// incidents and finished deployments as audit records on the timeline.
import type { ActorRef, NodeRef } from '@harmonix/contract';
import type { SourceContext } from '../../core/source.js';
import type { Changes, World } from './world.js';

export const nodeId = (node: string) => `observer:${node}`;
export const serviceId = (node: string, service: string) => `observer:${node}/${service}`;

const nodeRef = (name: string): NodeRef => ({ id: nodeId(name), kind: 'host', layer: 'observer', name });
const actorRef = (node: string, service: string): ActorRef => ({
  id: serviceId(node, service),
  kind: 'service',
  layer: 'observer',
  name: service,
  node: nodeId(node),
});

type Ctx = Pick<SourceContext, 'emitter' | 'nextSeq'>;

/** What the collector's topology has been told so far (so every record is a legal transition). */
export class TopologyMirror {
  private nodes = new Map<string, 'up' | 'failed'>();
  private actors = new Map<string, 'running' | 'exited'>();

  /**
   * Records that move the topology to the world's current state. Times are the world's own (last change or
   * last seen). Only what events told of is placed: a node or service declared in the inventory but never reported
   * is `unknown`, and the contract has no state that says so, so it stays off the topology (the world files list it).
   */
  sync(world: World, ctx: Ctx, fallback: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const rec = (type: string, time: string | null, body: Record<string, unknown>) =>
      out.push({ v: 1, type, time: time ?? fallback, emitter: ctx.emitter, seq: ctx.nextSeq(), ...body });
    const names = [...world.nodes.keys()].sort();
    for (const name of names) {
      const n = world.nodes.get(name);
      const want = n?.status === 'offline' ? 'failed' : 'up';
      const have = this.nodes.get(name);
      if (have === undefined) {
        rec('node.joined', n?.last_seen ?? null, { node: nodeRef(name) });
        this.nodes.set(name, 'up');
      }
      if (want === 'failed' && this.nodes.get(name) === 'up') {
        rec('node.failed', n?.last_change ?? null, { node: nodeRef(name), reason: 'node_offline event' });
        this.nodes.set(name, 'failed');
        for (const id of [...this.actors.keys()]) if (id.startsWith(`${nodeId(name)}/`)) this.actors.delete(id);
      } else if (want === 'up' && have === 'failed') {
        rec('node.recovered', n?.last_change ?? null, { node: nodeRef(name) });
        this.nodes.set(name, 'up');
      }
    }
    const keys = [...world.services.keys()].sort();
    for (const key of keys) {
      const [node, service] = key.split('/') as [string, string];
      if (this.nodes.get(node) !== 'up') continue; // a failed node carries no actors; they come back with it
      const s = world.services.get(key);
      const id = serviceId(node, service);
      const want = s?.status === 'unhealthy' ? 'exited' : 'running';
      const have = this.actors.get(id);
      if (have !== 'running' && (want === 'running' || have === undefined)) {
        rec('actor.spawned', s?.last_change ?? s?.last_event ?? null, { actor: actorRef(node, service) });
        this.actors.set(id, 'running');
      }
      if (want === 'exited' && this.actors.get(id) === 'running') {
        rec('actor.exited', s?.last_change ?? null, { actor: actorRef(node, service), reason: (s?.reason ?? 'unhealthy').slice(0, 512) });
        this.actors.set(id, 'exited');
      }
    }
    return out;
  }
}

/** One audit per incident touched in a batch (opened / updated / resolved), in time order. */
export function incidentAudits(world: World, changes: Changes, ctx: Ctx): Record<string, unknown>[] {
  const items: { time: string; body: Record<string, unknown> }[] = [];
  for (const [id, c] of changes.incidents) {
    const inc = world.incidents.get(id);
    if (!inc) continue;
    const what = c.resolved ? 'resolved' : c.opened ? 'opened' : 'updated';
    const time = what === 'resolved' ? inc.resolved_at! : what === 'opened' ? inc.started_at : inc.last_occurrence;
    items.push({
      time,
      body: {
        subject: serviceId(inc.node, inc.service),
        message: `incident ${inc.id} ${what}: ${inc.service} on ${inc.node} (${inc.occurrence_count} occurrence${inc.occurrence_count === 1 ? '' : 's'})`,
        severity: what === 'resolved' ? 'info' : inc.severity,
        attributes: {
          'hmx.incident.id': inc.id,
          'hmx.incident.status': inc.status,
          'hmx.incident.change': what,
          'hmx.incident.occurrence_count': inc.occurrence_count,
          'hmx.incident.severity': inc.severity,
          ...(inc.correlation_id && { 'hmx.correlation_id': inc.correlation_id }),
          ...(inc.diagnostics.length > 0 && { 'hmx.incident.diagnostics': inc.diagnostics.join(',').slice(0, 1024) }),
        },
      },
    });
  }
  for (const cid of changes.deployments) {
    const d = world.deployments.get(cid);
    if (!d || d.ended_at === null) continue;
    items.push({
      time: d.ended_at,
      body: {
        subject: d.node && d.service ? serviceId(d.node, d.service) : d.node ? nodeId(d.node) : `observer:deployment:${cid}`.slice(0, 256),
        message: `deployment ${cid} ${d.status}`.slice(0, 1024),
        severity: d.status === 'failed' ? 'error' : 'info',
        attributes: { 'hmx.correlation_id': cid, 'hmx.deployment.status': d.status, 'hmx.deployment.attempt': d.attempt },
      },
    });
  }
  items.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return items.map(({ time, body }) => ({ v: 1, type: 'audit', time, emitter: ctx.emitter, seq: ctx.nextSeq(), ...body }));
}
