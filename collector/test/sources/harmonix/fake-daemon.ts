// A fake Helix daemon: a real HTTP server on 127.0.0.1 serving the runbook's /status of either service (bodies
// from fixtures/, the runbook's examples), with scripted dissonance or health, outages (the listener really
// closes: connection refused), hangs, HTTP 500, garbage, oversized and schema-invalid bodies. The unit tests serve
// the fixtures' times; the stack test (test/stack/) passes a clock, so readings carry the time they are served.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DaemonKind } from '../../../src/sources/harmonix/status.js';

export type Mode = 'ok' | 'hang' | 'invalid' | 'http500' | 'garbage' | 'huge';

export const statusFixture = (kind: DaemonKind): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`fixtures/${kind}-status.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

export class FakeDaemon {
  /** shadow-metrics: the dissonance value served (null: no data yet). */
  dissonance: number | null = 0.12;
  source = 'auto-seed';
  version = '1.1.0';
  /** dissonance-research: the `ok` it reports. */
  healthy = true;
  mode: Mode = 'ok';
  requests = 0;
  private server: Server | undefined;
  private port = 0;
  private readonly hung = new Set<ServerResponse>();

  constructor(
    readonly kind: DaemonKind = 'shadow-metrics',
    /** When given, server_time_utc and the dissonance timestamp are this clock's time instead of the fixture's. */
    private readonly now?: () => Date,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/status`;
  }

  private body(): unknown {
    const doc = statusFixture(this.kind);
    if (this.kind === 'dissonance-research') return this.mode === 'invalid' ? { ...doc, ok: 'yes' } : { ...doc, ok: this.healthy };
    if (this.mode === 'invalid') return { ...doc, uptime_seconds: 'long', dissonance: null };
    const served = this.now?.().toISOString();
    const dissonance = { ...(doc.dissonance as Record<string, unknown>), ...(served && { timestamp: served }) };
    return {
      ...doc,
      ...(served && { server_time_utc: served }),
      version: this.version,
      dissonance: this.dissonance === null ? null : { ...dissonance, value: this.dissonance, source: this.source },
    };
  }

  /** Valid JSON padded past 64 KiB, sent chunked (no content-length), so only counting the bytes read catches it. */
  private streamHuge(res: ServerResponse): void {
    res.on('error', () => undefined); // the prober hangs up early
    res.writeHead(200, { 'content-type': 'application/json' });
    const pad = ' '.repeat(1024);
    for (let i = 0; i < 256 && !res.destroyed; i++) res.write(pad);
    res.end(JSON.stringify(this.body()));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests++;
      if (req.url !== '/status') return void res.writeHead(404).end();
      if (this.mode === 'hang') return void this.hung.add(res);
      if (this.mode === 'http500') return void res.writeHead(500).end('Internal Server Error');
      if (this.mode === 'huge') return void this.streamHuge(res);
      if (this.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"server_time_utc": "2025-11-');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.body()));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Ends a hang: answers normally again, and the requests left hanging are dropped (their clients gave up). */
  resume(): void {
    this.mode = 'ok';
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  /** A real outage: stop listening (connections are refused) until start() again on the same port. */
  async stop(): Promise<void> {
    this.resume();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
