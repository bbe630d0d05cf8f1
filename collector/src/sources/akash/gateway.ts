// GET /status from the provider gateway (REST, port 8443) through the certificate-pinned agent.
import https from 'node:https';
import { AkashReadError, messageOf } from './errors.js';
import { PinnedAgent } from './pinned-agent.js';
import { ProviderStatus } from './provider-status.js';
import { check } from './records.js';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class GatewayClient {
  private readonly agent: PinnedAgent;
  private readonly url: URL;

  constructor(
    baseUrl: string,
    pin: string,
    private readonly timeoutMs: number,
    private readonly provider: string,
  ) {
    this.agent = new PinnedAgent(pin);
    this.url = new URL('status', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  async status(signal?: AbortSignal): Promise<ProviderStatus> {
    const text = await this.get(signal);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AkashReadError('json', 'gateway /status: body is not JSON');
    }
    const status = check<ProviderStatus>(ProviderStatus, body, 'gateway /status');
    if (status.address !== undefined && status.address !== this.provider) {
      throw new AkashReadError('schema', `gateway /status: field /address is ${status.address.slice(0, 80)}, not the configured provider`);
    }
    return status;
  }

  close(): void {
    this.agent.destroy();
  }

  private get(signal?: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    return new Promise((resolve, reject) => {
      const req = https.get(this.url, { agent: this.agent, signal: combined, headers: { accept: 'application/json' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new AkashReadError('http', `gateway /status: HTTP status ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(new AkashReadError('json', `gateway /status: body larger than ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', (err) => reject(gatewayError(err, timeout, this.timeoutMs)));
      });
      req.on('error', (err) => reject(gatewayError(err, timeout, this.timeoutMs)));
    });
  }
}

function gatewayError(err: unknown, timeout: AbortSignal, timeoutMs: number): AkashReadError {
  if (err instanceof AkashReadError) return err;
  if (timeout.aborted) return new AkashReadError('timeout', `gateway /status: no answer within ${timeoutMs} ms`, { cause: err });
  if ((err as { name?: string })?.name === 'AbortError')
    return new AkashReadError('timeout', 'gateway /status: abandoned (collection aborted)', { cause: err });
  const code = (err as { code?: string })?.code ?? '';
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /certificate|handshake/i.test(messageOf(err))) {
    return new AkashReadError('tls', `gateway /status: TLS failed (${code || messageOf(err)})`, { cause: err });
  }
  return new AkashReadError('unreachable', `gateway /status: unreachable (${code || messageOf(err)})`, { cause: err });
}
