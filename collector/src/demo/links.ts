// Outgoing connections from one node process to its peers, with acknowledgement tracking: every message
// sent is settled exactly once, as delivered (ack), refused (nack) or lost (connection closed first).
import { connect, type Socket } from 'node:net';
import type { MessageEnvelope } from '@harmonix/sdk';
import { isAckFrame, readFrames, writeFrame } from './wire.js';

export type Settlement = { delivered: true } | { delivered: false; reason: string };
type Settle = (envelope: { from: string; to: string }, outcome: Settlement) => void;

class PeerLink {
  private readonly socket: Socket;
  private readonly pending = new Map<number, { from: string; to: string }>();
  private nextId = 1;
  closed = false;

  constructor(
    readonly port: number,
    private readonly settle: Settle,
    private readonly onClosed: () => void,
  ) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.setNoDelay(true);
    readFrames(this.socket, (frame) => {
      if (!isAckFrame(frame)) return;
      const entry = this.pending.get(frame.id);
      if (!entry) return;
      this.pending.delete(frame.id);
      this.settle(entry, frame.ok ? { delivered: true } : { delivered: false, reason: frame.r ?? 'refused' });
    });
    this.socket.on('error', () => {});
    this.socket.on('close', () => this.shutdown('connection lost'));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  send(envelope: MessageEnvelope): void {
    if (this.closed) throw new Error(`link to port ${this.port} is closed`);
    const id = this.nextId++;
    this.pending.set(id, { from: envelope.from, to: envelope.to });
    writeFrame(this.socket, { t: 'm', id, e: envelope });
  }

  shutdown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const entry of lost) this.settle(entry, { delivered: false, reason });
    this.onClosed();
  }
}

export class Links {
  private readonly ports = new Map<string, number | null>();
  private readonly links = new Map<string, PeerLink>();

  constructor(private readonly settle: Settle) {}

  /** New peer table from the supervisor: a changed or vanished port closes the old link. */
  setPeers(peers: Record<string, number | null>): void {
    for (const [name, port] of Object.entries(peers)) {
      this.ports.set(name, port);
      const link = this.links.get(name);
      if (link && link.port !== port) link.shutdown('peer restarted');
    }
  }

  /** Put the envelope on the wire to `peer`; throws when there is no route (peer down or unknown). */
  send(peer: string, envelope: MessageEnvelope): void {
    let link = this.links.get(peer);
    if (!link || link.closed) {
      const port = this.ports.get(peer);
      if (port === undefined || port === null) throw new Error(`no route to ${peer}`);
      const created: PeerLink = new PeerLink(port, this.settle, () => {
        if (this.links.get(peer) === created) this.links.delete(peer);
      });
      link = created;
      this.links.set(peer, link);
    }
    link.send(envelope);
  }

  get inFlight(): number {
    let total = 0;
    for (const link of this.links.values()) total += link.inFlight;
    return total;
  }

  closeAll(): void {
    for (const link of [...this.links.values()]) link.shutdown('node stopping');
  }
}
