// Turns the objects the informers see into contract transitions. It remembers what it has already put on the
// topology, so a relist, a replayed watch or an unchanged update yields nothing, and only real changes yield events.
// Times are the ones Kubernetes recorded (condition transitions, container start/finish, deletion), never "seen at".
import type { ActorRef, NodeRef } from '@harmonix/contract';
import type { ContainerStatus, KubeNode, KubePod } from './objects.js';
import { podKey } from './objects.js';

/** A contract lifecycle event without its envelope (v, emitter, seq), which the source adds. */
export type Transition =
  | { type: 'node.joined' | 'node.recovered'; time: string; node: NodeRef }
  | { type: 'node.failed' | 'node.left'; time: string; node: NodeRef; reason: string }
  | { type: 'actor.spawned'; time: string; actor: ActorRef; attributes: Record<string, string> }
  | { type: 'actor.exited'; time: string; actor: ActorRef; reason: string; exitCode?: number; attributes: Record<string, string> }
  | {
      type: 'actor.restarted';
      time: string;
      actor: ActorRef;
      restartCount: number;
      reason?: string;
      attributes: Record<string, string | number>;
    }
  | { type: 'audit'; time: string; subject: string; message: string; severity: 'warning'; attributes: Record<string, string> };

interface NodeTrack {
  ref: NodeRef;
  state: 'up' | 'failed';
  /** When it last joined or recovered (ms): actors placed on it are never timed before this. */
  since: number;
}

interface PodTrack {
  uid: string;
  latest: KubePod;
  /** Currently placed on the topology as an actor (running, or unknown while its node is failed). */
  placed: boolean;
  /** Its node failed while it was placed: the topology shows it unknown until its own record says its fate. */
  unknown: boolean;
  /** When it was last placed (ms): its later events are never timed before this. */
  placedAt: number;
  /** Ever placed by this collector (restart history is caught up only the first time). */
  everPlaced: boolean;
  /** Succeeded or Failed: nothing more will happen to it. */
  finished: boolean;
  restarts: Map<string, number>;
  /** Container → the waiting reason last reported as an audit while the pod was not placed. */
  waiting: Map<string, string>;
}

/** Waiting reasons every pod passes through on its way to running: not news. Any other (ImagePullBackOff, …) is. */
const ROUTINE_WAITING = new Set(['ContainerCreating', 'PodInitializing']);

export const nodeId = (name: string) => `k8s:${name}`;
export const podId = (namespace: string, name: string) => `k8s:${namespace}/${name}`;

const nodeRef = (name: string): NodeRef => ({ id: nodeId(name), kind: 'k8s-node', layer: 'kubernetes', name });

/** Printable, bounded text for reasons built from API strings (messages may hold newlines). */
export function cleanText(text: string, max = 512): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const ms = (t: string | undefined) => (t === undefined ? undefined : Date.parse(t));
const iso = (at: number) => new Date(at).toISOString();
const latest = (times: (number | undefined)[]) => {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length ? Math.max(...known) : undefined;
};
const earliest = (times: (number | undefined)[]) => {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length ? Math.min(...known) : undefined;
};

export class LifecycleTracker {
  private readonly nodes = new Map<string, NodeTrack>();
  private readonly pods = new Map<string, PodTrack>();

  constructor(private readonly now: () => number = Date.now) {}

  upsertNode(node: KubeNode): Transition[] {
    const name = node.metadata.name;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (!ready) return []; // registered but not reporting yet: not on the topology until it says something
    const known = this.nodes.get(name);
    const up = ready.status === 'True';
    const at = ms(ready.lastTransitionTime) ?? this.now();
    const ref = nodeRef(name);
    const failure = (): Transition => ({
      type: 'node.failed',
      time: iso(at),
      node: ref,
      reason: cleanText([ready.reason ?? (ready.status === 'Unknown' ? 'NodeStatusUnknown' : 'NotReady'), ready.message].filter(Boolean).join(': ')),
    });
    if (!known) {
      // A node seen for the first time exists in the cluster: it joins, and fails at once if it is not Ready.
      const joinedAt = up ? at : Math.min(ms(node.metadata.creationTimestamp) ?? at, at);
      this.nodes.set(name, { ref, state: up ? 'up' : 'failed', since: joinedAt });
      const out: Transition[] = [{ type: 'node.joined', time: iso(joinedAt), node: ref }];
      return up ? [...out, ...this.reconcilePodsOn(name)] : [...out, failure()];
    }
    if (known.state === 'up' && !up) {
      known.state = 'failed';
      // The topology shows its running pods as unknown (contract 1.1): they may still run. What the API says of each
      // later (deleted, evicted, finished, running after recovery) is that pod's own record.
      for (const t of this.podsOn(name)) if (t.placed) t.unknown = true;
      return [failure()];
    }
    if (known.state === 'failed' && up) {
      known.state = 'up';
      known.since = at;
      return [{ type: 'node.recovered', time: iso(at), node: ref }, ...this.reconcilePodsOn(name)];
    }
    return [];
  }

  deleteNode(node: KubeNode): Transition[] {
    const name = node.metadata.name;
    if (!this.nodes.delete(name)) return [];
    this.unplacePodsOn(name);
    return [{ type: 'node.left', time: iso(this.deletionTime(node.metadata.deletionTimestamp)), node: nodeRef(name), reason: 'Deleted' }];
  }

  upsertPod(pod: KubePod): Transition[] {
    const key = podKey(pod);
    const out: Transition[] = [];
    let track = this.pods.get(key);
    if (track && track.uid !== pod.metadata.uid) {
      // Same name, new object (the delete happened while we were not watching): the old one was gone by the
      // time the new one was created.
      out.push(...this.exitDeleted(track, track.latest.metadata.deletionTimestamp ?? pod.metadata.creationTimestamp, 'Replaced'));
      track = undefined;
    }
    if (!track) {
      track = {
        uid: pod.metadata.uid,
        latest: pod,
        placed: false,
        unknown: false,
        placedAt: 0,
        everPlaced: false,
        finished: false,
        restarts: new Map(),
        waiting: new Map(),
      };
      this.pods.set(key, track);
      this.countRestarts(track, pod); // restart history before we looked is the baseline, not news
    }
    track.latest = pod;
    return [...out, ...this.reconcile(track)];
  }

  deletePod(pod: KubePod): Transition[] {
    const key = podKey(pod);
    const track = this.pods.get(key);
    if (!track || track.uid !== pod.metadata.uid) return [];
    this.pods.delete(key);
    track.latest = pod; // the deleted object is its final state
    return this.exitDeleted(track, pod.metadata.deletionTimestamp ?? track.latest.metadata.deletionTimestamp, pod.status?.reason);
  }

  private podsOn(nodeName: string): PodTrack[] {
    return [...this.pods.values()].filter((t) => t.latest.spec?.nodeName === nodeName);
  }

  private reconcilePodsOn(nodeName: string): Transition[] {
    return this.podsOn(nodeName).flatMap((t) => this.reconcile(t));
  }

  /** node.left removes the node's actors from the topology. */
  private unplacePodsOn(nodeName: string): void {
    for (const t of this.podsOn(nodeName)) {
      t.placed = false;
      t.unknown = false;
    }
  }

  private reconcile(track: PodTrack): Transition[] {
    const pod = track.latest;
    if (track.finished) return [];
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      track.finished = true;
      return track.placed ? [this.exitFinished(track)] : [];
    }
    const node = pod.spec?.nodeName ? this.nodes.get(pod.spec.nodeName) : undefined;
    if (track.unknown) return this.reconfirm(track, pod, node);
    if (track.placed) return this.restartsOf(track, pod, track.placedAt);
    if (phase !== 'Running' || node?.state !== 'up') {
      this.countRestarts(track, pod);
      return this.waitingAudits(track, pod);
    }
    const started = earliest((pod.status?.containerStatuses ?? []).map((c) => ms(c.state?.running?.startedAt)));
    const at = Math.max(started ?? ms(pod.status?.startTime) ?? ms(pod.metadata.creationTimestamp) ?? this.now(), node.since);
    track.placed = true;
    track.placedAt = at;
    const spawned: Transition = { type: 'actor.spawned', time: iso(at), actor: this.actor(pod), attributes: this.podAttributes(pod) };
    if (track.everPlaced) {
      this.countRestarts(track, pod);
      return [spawned];
    }
    track.everPlaced = true;
    // First placement: the topology learns the restart history it has not seen (absolute count, last reason).
    const history = this.total(pod) > 0 ? this.restartEvent(pod, pod.status?.containerStatuses ?? [], at) : [];
    this.countRestarts(track, pod);
    return [spawned, ...history];
  }

  /**
   * A pod that is not running (e.g. Pending) has no actor on the topology, but a container stuck waiting for a reason
   * that is not routine (ImagePullBackOff, ErrImagePull, CreateContainerConfigError, CrashLoopBackOff of a pod that
   * never ran, …) is news: one audit per container and new reason. Kubernetes records no time for entering a
   * waiting state, so the audit carries the time the collector saw it.
   */
  private waitingAudits(track: PodTrack, pod: KubePod): Transition[] {
    const out: Transition[] = [];
    for (const c of pod.status?.containerStatuses ?? []) {
      const reason = c.state?.waiting?.reason;
      if (!reason || ROUTINE_WAITING.has(reason) || track.waiting.get(c.name) === reason) continue;
      track.waiting.set(c.name, reason);
      const message = cleanText(c.state?.waiting?.message ?? '', 400);
      out.push({
        type: 'audit',
        time: iso(this.now()),
        subject: podId(pod.metadata.namespace, pod.metadata.name),
        message: cleanText(`container ${c.name} waiting: ${reason}${message ? ` (${message})` : ''}`, 1024),
        severity: 'warning',
        attributes: { ...this.podAttributes(pod), 'k8s.container.name': cleanText(c.name, 64), 'k8s.container.status.reason': cleanText(reason, 64) },
      });
    }
    return out;
  }

  /**
   * An unknown pod whose node is up again and which the API still shows Running: running again through its own
   * record — actor.restarted if its containers restarted meanwhile, else actor.spawned (which the topology accepts
   * for an unknown actor), timed at the node's recovery. Until then it stays unknown.
   */
  private reconfirm(track: PodTrack, pod: KubePod, node: NodeTrack | undefined): Transition[] {
    if (node?.state !== 'up' || pod.status?.phase !== 'Running') return [];
    track.unknown = false;
    const at = Math.max(node.since, track.placedAt);
    const restarted = this.restartsOf(track, pod, at);
    return restarted.length ? restarted : [{ type: 'actor.spawned', time: iso(at), actor: this.actor(pod), attributes: this.podAttributes(pod) }];
  }

  private restartsOf(track: PodTrack, pod: KubePod, notBefore: number): Transition[] {
    const grew = (pod.status?.containerStatuses ?? []).filter((c) => c.restartCount > (track.restarts.get(c.name) ?? 0));
    this.countRestarts(track, pod);
    return grew.length ? this.restartEvent(pod, grew, notBefore) : [];
  }

  /** One actor.restarted for the containers that restarted, carrying the pod's absolute restart count. */
  private restartEvent(pod: KubePod, containers: ContainerStatus[], notBefore: number): Transition[] {
    const when = (c: ContainerStatus) => ms(c.state?.running?.startedAt) ?? ms(c.lastState?.terminated?.finishedAt);
    const candidates = containers.filter((c) => c.restartCount > 0);
    const last = candidates.reduce<ContainerStatus | undefined>((best, c) => (best === undefined || (when(c) ?? 0) > (when(best) ?? 0) ? c : best), undefined);
    if (!last) return [];
    const terminated = last.lastState?.terminated;
    // A container waiting again (CrashLoopBackOff, ImagePullBackOff, …) says more about the actor now than how its
    // previous run ended; both are kept, in the semconv attribute names.
    const waiting = last.state?.waiting?.reason;
    const reason = waiting ?? terminated?.reason;
    const attributes: Record<string, string | number> = { ...this.podAttributes(pod), 'k8s.container.name': last.name };
    if (waiting) attributes['k8s.container.status.reason'] = cleanText(waiting, 64);
    if (terminated?.reason) attributes['k8s.container.status.last_terminated_reason'] = cleanText(terminated.reason, 64);
    if (terminated?.exitCode !== undefined) attributes['k8s.container.exit_code'] = terminated.exitCode;
    return [
      {
        type: 'actor.restarted',
        time: iso(Math.max(when(last) ?? this.now(), notBefore)),
        actor: this.actor(pod),
        restartCount: this.total(pod),
        ...(reason ? { reason: cleanText(reason) } : {}),
        attributes,
      },
    ];
  }

  private exitFinished(track: PodTrack): Transition {
    const pod = track.latest;
    const states = (pod.status?.containerStatuses ?? []).map((c) => c.state?.terminated).filter((t) => t !== undefined);
    const failing = states.find((t) => (t.exitCode ?? 0) !== 0);
    const reason = pod.status?.reason ?? failing?.reason ?? states[0]?.reason ?? pod.status?.phase ?? 'Terminated';
    const at = latest(states.map((t) => ms(t.finishedAt))) ?? this.now();
    return this.exited(track, at, reason, failing?.exitCode ?? states[0]?.exitCode);
  }

  private exitDeleted(track: PodTrack, deletionTimestamp: string | undefined, reason: string | undefined): Transition[] {
    if (!track.placed) return [];
    const containers = track.latest.status?.containerStatuses ?? [];
    const exitCode = containers.map((c) => c.state?.terminated?.exitCode).find((c) => c !== undefined);
    // When every container has already finished, that is when the pod stopped; else the deletion deadline,
    // which is in the future during a graceful deletion: the object is gone by now at the latest.
    const finished = containers.length > 0 && containers.every((c) => c.state?.terminated?.finishedAt !== undefined);
    const stoppedAt = finished ? latest(containers.map((c) => ms(c.state?.terminated?.finishedAt))) : undefined;
    return [this.exited(track, stoppedAt ?? this.deletionTime(deletionTimestamp), reason ?? 'Deleted', exitCode)];
  }

  private exited(track: PodTrack, at: number, reason: string, exitCode: number | undefined): Transition {
    track.placed = false;
    track.unknown = false;
    return {
      type: 'actor.exited',
      time: iso(Math.max(at, track.placedAt)),
      actor: this.actor(track.latest),
      reason: cleanText(reason),
      ...(exitCode !== undefined ? { exitCode } : {}),
      attributes: this.podAttributes(track.latest),
    };
  }

  private deletionTime(deletionTimestamp: string | undefined): number {
    const now = this.now();
    return Math.min(ms(deletionTimestamp) ?? now, now);
  }

  private countRestarts(track: PodTrack, pod: KubePod): void {
    for (const c of pod.status?.containerStatuses ?? []) track.restarts.set(c.name, c.restartCount);
  }

  private total(pod: KubePod): number {
    return (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0);
  }

  private actor(pod: KubePod): ActorRef {
    const { namespace, name } = pod.metadata;
    return { id: podId(namespace, name), kind: 'pod', layer: 'kubernetes', name, node: nodeId(pod.spec?.nodeName ?? 'unscheduled') };
  }

  private podAttributes(pod: KubePod): Record<string, string> {
    return { 'k8s.namespace.name': pod.metadata.namespace, 'k8s.pod.uid': pod.metadata.uid };
  }
}
