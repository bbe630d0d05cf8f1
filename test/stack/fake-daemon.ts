// A fake HMX daemon: a real HTTP server on 127.0.0.1 answering GET /status with the shadow-metrics
// document of requirement 002 (server_time_utc, version, uptime_seconds, dissonance{value,timestamp,source,ip}).
// The test scripts its dissonance and can make it stall (accept the request, never answer).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class FakeDaemon {
  dissonance = 0.12;
  /** While true, requests hang until stall is lifted (the probe times out). */
  stalled = false;
  private readonly started = Date.now();
  private readonly hanging = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => this.handle(req, res));

  static async start(): Promise<FakeDaemon> {
    const d = new FakeDaemon();
    await new Promise<void>((resolve, reject) => {
      d.server.once('error', reject);
      d.server.listen(0, '127.0.0.1', () => resolve());
    });
    return d;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/status`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' || req.url !== '/status') {
      res.writeHead(404).end();
      return;
    }
    if (this.stalled) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    const now = new Date();
    const body = {
      server_time_utc: now.toISOString(),
      version: '1.1.0',
      uptime_seconds: Math.round((now.getTime() - this.started) / 1000),
      dissonance: { value: this.dissonance, timestamp: now.toISOString(), source: 'auto-seed', ip: '127.0.0.1' },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /** Lifts a stall: hanging requests are dropped (the client already gave up). */
  resume(): void {
    this.stalled = false;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  async stop(): Promise<void> {
    this.resume();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
