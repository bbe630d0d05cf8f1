// A fake HMX daemon: a real HTTP server on 127.0.0.1 serving document 002's /status, with scripted dissonance,
// outages (the listener really closes: connection refused), hangs, and malformed bodies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mode = 'ok' | 'hang' | 'invalid' | 'http500';

export class FakeDaemon {
  dissonance: number | null = 0.12;
  source = 'auto-seed';
  version = '1.1.0';
  mode: Mode = 'ok';
  requests = 0;
  private server: Server | undefined;
  private port = 0;
  private readonly hung = new Set<import('node:http').ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${this.port}/status`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests++;
      if (req.url !== '/status') return void res.writeHead(404).end();
      if (this.mode === 'hang') return void this.hung.add(res);
      if (this.mode === 'http500') return void res.writeHead(500).end('oops');
      const body =
        this.mode === 'invalid'
          ? { server_time_utc: '2025-11-11T20:01:57.881672Z', version: '1.1.0', uptime_seconds: 'long', dissonance: null }
          : {
              server_time_utc: '2025-11-11T20:01:57.881672Z',
              version: this.version,
              uptime_seconds: 1192,
              dissonance: this.dissonance === null ? null : { value: this.dissonance, timestamp: '2025-11-11T19:42:45Z', source: this.source, ip: '127.0.0.1' },
            };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** A real outage: stop listening (connections are refused) until start() again on the same port. */
  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
