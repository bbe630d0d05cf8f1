// Node-to-node wire format: NDJSON frames over TCP. A message frame carries the SDK envelope; the receiver
// answers each with an ack (accepted into the mailbox) or a nack with the reason it was refused.
import type { Socket } from 'node:net';
import type { MessageEnvelope } from '@harmonix/sdk';

export type MessageFrame = { t: 'm'; id: number; e: MessageEnvelope };
export type AckFrame = { t: 'a'; id: number; ok: boolean; r?: string };

const MAX_LINE = 1 << 20;

/** Split a socket's bytes into JSON lines; garbage lines are skipped, an endless line closes the socket. */
export function readFrames(socket: Socket, onFrame: (frame: unknown) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.length === 0) continue;
      let frame: unknown;
      try {
        frame = JSON.parse(line);
      } catch {
        continue;
      }
      onFrame(frame);
    }
    if (buffered.length > MAX_LINE) socket.destroy(new Error('frame larger than 1 MiB'));
  });
}

export function isMessageFrame(frame: unknown): frame is MessageFrame {
  const f = frame as Partial<MessageFrame> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    f.t === 'm' &&
    Number.isInteger(f.id) &&
    typeof f.e === 'object' &&
    f.e !== null &&
    typeof f.e.from === 'string' &&
    typeof f.e.to === 'string'
  );
}

export function isAckFrame(frame: unknown): frame is AckFrame {
  const f = frame as Partial<AckFrame> | null;
  return typeof f === 'object' && f !== null && f.t === 'a' && Number.isInteger(f.id) && typeof f.ok === 'boolean';
}

export function writeFrame(socket: Socket, frame: MessageFrame | AckFrame): void {
  socket.write(`${JSON.stringify(frame)}\n`);
}
