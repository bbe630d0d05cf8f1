// Deterministic synthetic observer events (benchmark and kill test): heartbeats, failures, recoveries, deployments.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng as mulberry32 } from '../../../src/core/random.js';

export interface GenerateOptions {
  events: number;
  files: number;
  nodes?: number;
  servicesPerNode?: number;
  /** Fraction of lines that are garbage. */
  malformed?: number;
  seed?: number;
}

/** Write `events` lines over `files` files named events-00000.jsonl…; returns the total bytes written. */
export function generateEvents(dir: string, opts: GenerateOptions): number {
  mkdirSync(dir, { recursive: true });
  const rand = mulberry32(opts.seed ?? 42);
  const nodes = opts.nodes ?? 20;
  const services = opts.servicesPerNode ?? 10;
  const pick = (n: number) => Math.floor(rand() * n);
  const perFile = Math.ceil(opts.events / opts.files);
  let t = Date.parse('2026-05-12T00:00:00Z');
  let deploy = 0;
  let bytes = 0;
  for (let f = 0, written = 0; f < opts.files; f++) {
    const lines: string[] = [];
    for (let i = 0; i < perFile && written < opts.events; i++, written++) {
      t += 1000;
      const timestamp = new Date(t).toISOString();
      const node = `node-${pick(nodes)}`;
      const service = `svc-${pick(services)}`;
      const r = rand();
      if (opts.malformed && rand() < opts.malformed) {
        lines.push(r < 0.5 ? '{"timestamp": broken' : JSON.stringify({ timestamp, type: 'healthcheck_failed', node }));
        continue;
      }
      let e: Record<string, unknown>;
      if (r < 0.35) e = { timestamp, type: 'node_heartbeat', node };
      else if (r < 0.5)
        e = { timestamp, type: 'healthcheck_failed', node, service, correlation_id: `hc-${pick(1000)}`, severity: rand() < 0.2 ? 'critical' : 'error' };
      else if (r < 0.55) e = { timestamp, type: 'service_unhealthy', node, service, message: 'container exited' };
      else if (r < 0.72) e = { timestamp, type: 'service_recovered', node, service };
      else if (r < 0.74) e = { timestamp, type: 'node_offline', node };
      else if (r < 0.8) e = { timestamp, type: 'deployment_started', node, service, correlation_id: `deploy-${++deploy}` };
      else if (r < 0.9)
        e = {
          timestamp,
          type: 'deployment_stage',
          correlation_id: `deploy-${Math.max(1, deploy - pick(3))}`,
          payload: { stage: ['pull', 'migrate', 'restart'][pick(3)], status: rand() < 0.5 ? 'started' : 'succeeded' },
        };
      else if (r < 0.96) e = { timestamp, type: 'deployment_succeeded', correlation_id: `deploy-${Math.max(1, deploy - pick(3))}` };
      else
        e = {
          timestamp,
          type: 'deployment_failed',
          correlation_id: `deploy-${Math.max(1, deploy - pick(3))}`,
          payload: { diagnostics: [`/opt/homelab/logs/deploy-${deploy}.log`] },
        };
      lines.push(JSON.stringify(e));
    }
    const text = `${lines.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, `events-${String(f).padStart(5, '0')}.jsonl`), text);
  }
  return bytes;
}
