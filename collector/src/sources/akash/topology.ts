// Contract lifecycle of the provider (a node) and its leases (actors on it), plus bid outcomes as audit records.
import type { ActorRef, NodeRef } from '@harmonix/contract';
import type { ChainReading } from './chain.js';
import { leaseActorId, type BidRecord, type LeaseRecord } from './records.js';

/** A contract record without the envelope the source stamps on (v, emitter, seq). */
export interface Draft {
  type: string;
  time: string;
  [field: string]: unknown;
}

type Attributes = Record<string, string | number | boolean>;

export class ProviderTopology {
  readonly node: NodeRef;
  private state: 'absent' | 'up' | 'failed' = 'absent';
  private joinedAt = 0;
  /** When the node last joined or recovered (ms): no spawn or exit on it is stamped earlier. */
  private upSince = 0;
  /** When the node last failed (ms). */
  private failedAt = -Infinity;
  /** Lease actors currently spawned on the topology, with the time (ms) their spawn was stamped. */
  private readonly running = new Map<string, { actor: ActorRef; at: number }>();
  /**
   * Leases of a failed provider: the topology holds them as unknown (contract 1.1), so each needs a record of its own
   * once a chain read that started after the failure says what became of it (running again, or ended).
   */
  private readonly unknown = new Set<string>();
  /** Active leases as last read from the chain, and when (ms) that read started. */
  private active = new Map<string, LeaseRecord>();
  private activeReadAt = -Infinity;

  constructor(provider: string, name: string) {
    this.node = { id: `akash:${provider}`, kind: 'akash-provider', layer: 'akash', name };
  }

  get nodeState() {
    return this.state;
  }

  /**
   * A successful chain read that started at `readAt` (ms): join if needed (at the block's time), bid outcomes,
   * lease exits and spawns.
   */
  chain(reading: ChainReading, readAt: number): Draft[] {
    const snap = reading.snapshot;
    const out = this.join(snap.blockTime);
    // Audits only never predate the join; lifecycle events never predate the node's last recovery either.
    const at = snap.blockTime.getTime() < this.joinedAt ? new Date(this.joinedAt) : snap.blockTime;
    for (const [key, bid] of reading.decidedBids) out.push(bid ? this.bidAudit(bid, at) : this.bidVanished(key, at));
    for (const bid of reading.wonUnseen) out.push(this.bidAudit(bid, at));
    this.active = snap.activeLeases;
    this.activeReadAt = readAt;
    if (this.state !== 'up') return out;
    for (const [id, { actor, at: spawnedAt }] of this.running) {
      if (snap.activeLeases.has(id)) continue;
      const lease = reading.endedLeases.get(id);
      const closedAt = lease?.closedOn ? reading.blockTimes.get(lease.closedOn) : undefined;
      // The closing block can predate a spawn stamped on the collector's clock: an exit never precedes its spawn.
      const exitAt = this.notBefore(closedAt ?? snap.blockTime);
      out.push(this.exited(actor, lease, exitAt.getTime() < spawnedAt ? new Date(spawnedAt) : exitAt));
      this.running.delete(id);
      this.unknown.delete(id);
    }
    for (const [id, lease] of snap.activeLeases) {
      if (this.running.has(id)) {
        if (this.unknown.delete(id) && readAt >= this.failedAt) out.push(this.spawn(lease, this.notBefore(snap.blockTime)));
        continue;
      }
      const createdAt = reading.blockTimes.get(lease.createdAt);
      out.push(this.spawn(lease, this.notBefore(createdAt ?? snap.blockTime)));
    }
    return out;
  }

  /**
   * The gateway answered: join, or recover. The leases left unknown by the failure get their own record only from a
   * chain read that started after the failure (still active: running again; new ones spawn); older data may list
   * leases that closed meanwhile, so then they stay unknown until the next chain read, which also ends those gone.
   */
  providerUp(now: Date): Draft[] {
    if (this.state === 'absent') return this.join(now);
    if (this.state === 'up') return [];
    this.state = 'up';
    const at = this.notBefore(now);
    this.upSince = at.getTime();
    const out: Draft[] = [{ type: 'node.recovered', time: iso(at), node: this.node }];
    if (this.activeReadAt >= this.failedAt) {
      for (const [id, lease] of this.active) {
        if (!this.running.has(id) || this.unknown.delete(id)) out.push(this.spawn(lease, at));
      }
    }
    return out;
  }

  /** The gateway kept failing: the node failed; its leases are unknown until a fresh chain read says otherwise. */
  providerFailed(reason: string, now: Date): Draft[] {
    if (this.state !== 'up') return [];
    this.state = 'failed';
    this.failedAt = now.getTime();
    for (const id of this.running.keys()) this.unknown.add(id);
    return [{ type: 'node.failed', time: iso(this.notBefore(now)), node: this.node, reason: reason.slice(0, 512) }];
  }

  private join(now: Date): Draft[] {
    if (this.state !== 'absent') return [];
    this.state = 'up';
    this.joinedAt = this.upSince = now.getTime();
    return [{ type: 'node.joined', time: iso(now), node: this.node }];
  }

  private spawn(lease: LeaseRecord, at: Date): Draft {
    const actor: ActorRef = {
      id: leaseActorId(lease),
      kind: 'akash-lease',
      layer: 'akash',
      name: `${lease.dseq}/${lease.gseq}/${lease.oseq}`,
      node: this.node.id,
    };
    this.running.set(actor.id, { actor, at: at.getTime() });
    const attributes: Attributes = { ...leaseAttributes(lease), 'akash.lease.created_height': lease.createdAt };
    if (lease.price) Object.assign(attributes, { 'akash.price.amount': lease.price.amount, 'akash.price.denom': lease.price.denom });
    return { type: 'actor.spawned', time: iso(at), actor, attributes };
  }

  private exited(actor: ActorRef, lease: LeaseRecord | undefined, at: Date): Draft {
    if (!lease) return { type: 'actor.exited', time: iso(at), actor, reason: 'lease no longer on chain' };
    const reason = lease.state === 'closed' ? `closed: ${lease.reason}` : lease.state;
    const attributes: Attributes = { ...leaseAttributes(lease), 'akash.lease.state': lease.state, 'akash.lease.close_reason': lease.reason };
    if (lease.closedOn) attributes['akash.lease.closed_height'] = lease.closedOn;
    return { type: 'actor.exited', time: iso(at), actor, reason, attributes };
  }

  private bidAudit(bid: BidRecord, at: Date): Draft {
    const outcome = bid.state === 'active' ? 'won' : bid.state === 'lost' ? 'lost' : 'closed';
    const price = bid.price ? ` at ${bid.price.amount} ${bid.price.denom}/block` : '';
    const attributes: Attributes = { 'akash.bid.outcome': outcome, 'akash.bid.state': bid.state, ...leaseAttributes(bid) };
    if (bid.price) Object.assign(attributes, { 'akash.price.amount': bid.price.amount, 'akash.price.denom': bid.price.denom });
    return {
      type: 'audit',
      time: iso(at),
      subject: leaseActorId(bid),
      message: `bid ${outcome}: order ${bid.owner}/${bid.dseq}/${bid.gseq}/${bid.oseq} bseq ${bid.bseq}${price}`,
      severity: outcome === 'won' ? 'info' : 'warning',
      attributes,
    };
  }

  private bidVanished(key: string, at: Date): Draft {
    const subject = key.slice(0, key.lastIndexOf('/'));
    return {
      type: 'audit',
      time: iso(at),
      subject,
      message: `bid closed: ${key.slice('akash:'.length)} is no longer on chain`,
      severity: 'warning',
      attributes: { 'akash.bid.outcome': 'closed' },
    };
  }

  /** Events never predate the node's join or recovery (the chain's block time can lag the collector's clock). */
  private notBefore(date: Date): Date {
    return date.getTime() < this.upSince ? new Date(this.upSince) : date;
  }
}

const iso = (d: Date) => d.toISOString();

function leaseAttributes(r: LeaseRecord | BidRecord): Attributes {
  return { 'akash.owner': r.owner, 'akash.dseq': r.dseq, 'akash.gseq': r.gseq, 'akash.oseq': r.oseq, 'akash.bseq': r.bseq };
}
