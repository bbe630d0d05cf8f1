// An HTTPS agent for one self-signed peer: the chain of trust is replaced by a SHA-256 pin of the peer certificate.
// Only this agent skips CA verification; nothing is sent before the pin matched (the socket is handed to the
// request only after the check), and no global TLS setting is touched.
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { AkashReadError } from './errors.js';

type Callback = (err: Error | null, socket: Duplex) => void;

export class PinnedAgent extends https.Agent {
  /** `pin` in Node's `fingerprint256` form (AB:CD:…). */
  constructor(private readonly pin: string) {
    super({ keepAlive: false, maxCachedSessions: 0 });
  }

  // Node's Agent accepts an asynchronous createConnection that reports through the callback and returns nothing.
  override createConnection(options: https.RequestOptions, callback?: Callback): Duplex | undefined {
    const { servername, ...rest } = options as tls.ConnectionOptions;
    const socket = tls.connect({
      ...rest,
      ...(servername && !net.isIP(servername) ? { servername } : {}),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      socket.removeListener('error', onError);
      if (err) {
        socket.destroy();
        callback?.(err, socket);
      } else {
        callback?.(null, socket);
      }
    };
    const onError = (err: Error) => settle(err);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      const got = socket.getPeerCertificate()?.fingerprint256;
      if (got !== this.pin) {
        settle(
          new AkashReadError(
            'tls',
            `gateway certificate refused: its SHA-256 fingerprint ${got || '(none)'} does not match the pinned gatewayCertSha256 ${this.pin}`,
          ),
        );
      } else {
        settle(null);
      }
    });
    return undefined;
  }
}
