// A fake Akash provider gateway: HTTPS with a self-signed certificate made by openssl for the test, GET /status.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, listen } from './listen.js';

export interface SelfSigned {
  key: string;
  cert: string;
  /** SHA-256 fingerprint as Node prints it (AB:CD:…). */
  fingerprint256: string;
}

export function selfSignedCertificate(commonName: string): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'hmx-akash-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert, fingerprint256: new X509Certificate(cert).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The provider's /status body (chain-sdk go/provider/client ProviderStatus, inventory metrics). */
export function providerStatus(address: string) {
  return {
    cluster: {
      leases: 1,
      inventory: {
        active: [{ cpu: 1000, gpu: 0, memory: 1073741824, storage_ephemeral: 2147483648, storage: { beta2: 10737418240 } }],
        available: {
          nodes: [
            {
              name: 'node-a',
              allocatable: { cpu: 8000, gpu: 1, memory: 34359738368, storage_ephemeral: 107374182400 },
              available: { cpu: 6500, gpu: 1, memory: 30064771072, storage_ephemeral: 100000000000 },
            },
          ],
          storage: [{ class: 'beta2', size: 53687091200 }],
        },
      },
    },
    bidengine: { orders: 2 },
    manifest: { deployments: 1 },
    cluster_public_hostname: 'provider.example.test',
    address,
  };
}

export class FakeGateway {
  body: string;
  statusCode = 200;
  /** Requests that reached the HTTP layer (a refused TLS peer never gets here). */
  requests = 0;
  url = '';
  private readonly server: https.Server;

  constructor(tls: SelfSigned, address: string) {
    this.body = JSON.stringify(providerStatus(address));
    this.server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      this.requests++;
      if (req.method !== 'GET' || req.url !== '/status') return void res.writeHead(404).end('404 page not found\n');
      res.writeHead(this.statusCode, { 'content-type': 'application/json' }).end(this.body);
    });
  }

  async start(): Promise<this> {
    this.url = await listen(this.server, 'https');
    return this;
  }

  stop(): Promise<void> {
    return close(this.server);
  }
}
