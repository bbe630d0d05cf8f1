// Messages between the supervisor and node processes (IPC), and per-edge message accounting.

/** What the supervisor passes to a node process (as JSON in argv). */
export interface NodeConfig {
  name: string;
  nodes: string[];
  actorsPerNode: number;
  messageRateHz: number;
  collectorUrl: string;
  token?: string;
  seed: number;
  /** 0 for the first process of this node; the supervisor emits node.recovered for later ones. */
  incarnation: number;
  flushIntervalMs: number;
  mailboxCapacity: number;
  otlpEndpoint?: string;
}

/** Per directed edge (actor → actor). `sent`/`dropped`/`undeliverable` are counted by the sender's process,
 * `received` by the receiver's. After traffic stops and drains: sent = received + dropped. */
export interface EdgeStats {
  from: string;
  to: string;
  /** Handed to the wire (each also counted once in the SDK's flow counter). */
  sent: number;
  /** Accepted into the destination actor's mailbox. */
  received: number;
  /** Sent but refused (actor down, mailbox full) or lost with the connection before the receiver acknowledged it. */
  dropped: number;
  /** Never sent: no route to the destination node (it was down). Not part of the flow. */
  undeliverable: number;
}

export interface NodeStats {
  edges: EdgeStats[];
  /** Messages sent and not yet acknowledged. */
  pending: number;
  /** Messages waiting in mailboxes. */
  queued: number;
  /** Actors that crashed and await their restart (their actor.exited is already on record). */
  down: string[];
}

export type NodeOp = 'stats' | 'pause' | 'resume' | 'drain' | 'flush' | 'stop';

export type SupervisorToNode =
  { type: 'peers'; peers: Record<string, number | null> } | { type: 'start' } | { type: 'crash'; actor: string } | { type: 'request'; id: number; op: NodeOp };

export type NodeToSupervisor =
  { type: 'ready'; port: number } | { type: 'started' } | { type: 'stats'; stats: NodeStats } | { type: 'response'; id: number; result: unknown };

export const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

/** Add `more` into the edge map (used to merge per-process stats). */
export function mergeEdges(into: Map<string, EdgeStats>, more: readonly EdgeStats[]): void {
  for (const e of more) {
    const key = edgeKey(e.from, e.to);
    const acc = into.get(key) ?? { from: e.from, to: e.to, sent: 0, received: 0, dropped: 0, undeliverable: 0 };
    acc.sent += e.sent;
    acc.received += e.received;
    acc.dropped += e.dropped;
    acc.undeliverable += e.undeliverable;
    into.set(key, acc);
  }
}
