// Test helpers for the flight recorder: temp archives, random contract streams, a fake OTLP/HTTP logs receiver.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContractRecord, type Keyframe, validateRecord } from '@harmonix/contract';
import { silentLogger } from '../../src/core/logger.js';
import { Archive, type ArchiveOptions } from '../../src/recorder/archive.js';
import type { ArchivedRecord } from '../../src/recorder/bundle.js';

export async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hmx-rec-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'archive');
}

export function openArchive(dir: string, over: Partial<ArchiveOptions> = {}): Archive {
  // The archive's clock is the fixtures' (randomStream starts at FIXTURE_START), so retention never depends on today.
  return new Archive({
    dir,
    compression: 'brotli',
    bundleIntervalMs: 3_600_000,
    bundleMaxRecords: 50,
    retentionMs: 7 * 86_400_000,
    maxBytes: 64 * 1024 * 1024,
    logger: silentLogger(),
    now: () => FIXTURE_START + 86_400_000,
    ...over,
  });
}

import { rng } from '../../src/core/random.js';

export { rng };

const HOUR = 3_600_000;

/**
 * A fixture start `hours` before `now` (whole seconds), so no test depends on the date it runs on: the archive's
 * clock (injected or the system's) and the records' times move together, even under `faketime`.
 */
export function hoursBefore(hours: number, now = Date.now()): number {
  return Math.floor((now - hours * HOUR) / 1000) * 1000;
}

/** A random but contract-valid stream: node joins/failures, actor spawns/exits/restarts, audits, flows, keyframes. */
/** The fixtures' start; `openArchive` injects a clock a day after it, so retention never depends on today. */
export const FIXTURE_START = Date.parse('2026-11-20T10:00:00.000Z');

export function randomStream(seed: number, length: number, startMs = FIXTURE_START): ArchivedRecord[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const emitter = `test@seed${seed}`;
  let seq = 0;
  let t = startMs;
  const out: ArchivedRecord[] = [];
  const nodes: string[] = [];
  const actors: string[] = [];
  const env = () => ({ v: 1 as const, time: new Date((t += Math.floor(r() * 5000))).toISOString(), emitter, seq: ++seq });
  for (let i = 0; i < length; i++) {
    const roll = r();
    let rec: ArchivedRecord;
    if (nodes.length === 0 || roll < 0.08) {
      const id = `mesh:n${nodes.length}`;
      nodes.push(id);
      rec = { ...env(), type: 'node.joined', node: { id, kind: 'vm', layer: 'mesh', name: `n${nodes.length} «ü»` } };
    } else if (roll < 0.3) {
      const node = pick(nodes);
      const id = `mesh:${node.slice(5)}/a${actors.length}`;
      actors.push(id);
      rec = {
        ...env(),
        type: 'actor.spawned',
        actor: { id, kind: 'worker', layer: 'mesh', name: `a${actors.length}`, node },
        attributes: { 'hmx.zone': pick(['a', 'b']), weight: Math.floor(r() * 100), hot: r() < 0.5 },
      };
    } else if (roll < 0.35 && actors.length) {
      const id = pick(actors);
      rec = {
        ...env(),
        type: 'actor.restarted',
        actor: { id, kind: 'worker', layer: 'mesh', name: 'x', node: 'mesh:n0' },
        restartCount: Math.floor(r() * 9),
        reason: 'OOMKilled',
      };
    } else if (roll < 0.4) {
      rec = {
        ...env(),
        type: 'audit',
        subject: pick(nodes),
        message: `check ${Math.floor(r() * 1e6)} "quoted" <b>not html</b>`,
        severity: pick(['info', 'warning', 'error', 'critical'] as const),
      };
    } else if (roll < 0.42) {
      rec = { ...env(), type: 'node.failed', node: { id: pick(nodes), kind: 'vm', layer: 'mesh', name: 'n' }, reason: 'heartbeat lost' };
    } else if (roll < 0.45) {
      rec = keyframe(env(), nodes, actors);
    } else {
      rec = {
        ...env(),
        type: 'flow',
        from: actors.length ? pick(actors) : 'mesh:x/a',
        to: actors.length ? pick(actors) : 'mesh:x/b',
        messages: Math.floor(r() * 1000),
        bytes: Math.floor(r() * 1e6),
      };
    }
    out.push(rec);
  }
  return out;
}

function keyframe(e: { v: 1; time: string; emitter: string; seq: number }, nodes: string[], actors: string[]): Keyframe {
  return {
    ...e,
    type: 'keyframe',
    nodes: nodes.map((id) => ({ id, kind: 'vm', layer: 'mesh' as const, name: id, state: 'up' as const })),
    actors: actors.map((id) => ({ id, kind: 'worker', layer: 'mesh' as const, name: id, node: 'mesh:n0', state: 'running' as const, restarts: 0 })),
    flows: [],
    emitters: { [e.emitter]: e.seq },
  };
}

/** Fails the test on a stream the contract would reject (so the property test exercises real records). */
export function assertContractValid(records: readonly ArchivedRecord[]): void {
  for (const rec of records) {
    const v = validateRecord(rec as unknown, true);
    if (!v.ok) throw new Error(`generator produced an invalid record ${JSON.stringify(rec)}: ${JSON.stringify(v.errors)}`);
  }
}

export interface ReceivedLog {
  eventName?: string;
  body: string;
  timeUnixNano?: string;
  attributes: Record<string, unknown>;
}

/** A real HTTP server speaking OTLP/HTTP JSON on /v1/logs; `down` answers 400 (a non-retryable refusal). */
export class FakeOtlp {
  readonly logs: ReceivedLog[] = [];
  down = false;
  requests = 0;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOtlp> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no address');
    const self = new FakeOtlp(server, `http://127.0.0.1:${addr.port}`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        self.requests++;
        if (self.down || req.url !== '/v1/logs') {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpLogs;
        for (const rl of doc.resourceLogs ?? []) {
          for (const sl of rl.scopeLogs ?? []) {
            for (const lr of sl.logRecords ?? []) {
              const attributes = Object.fromEntries(
                (lr.attributes ?? []).map((a) => [a.key, a.value?.stringValue ?? a.value?.intValue ?? a.value?.boolValue ?? a.value?.doubleValue]),
              );
              self.logs.push({ eventName: lr.eventName, body: lr.body?.stringValue ?? '', timeUnixNano: lr.timeUnixNano, attributes });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    return self;
  }

  bodies(): unknown[] {
    return this.logs.map((l) => JSON.parse(l.body) as unknown);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpLogs {
  resourceLogs?: Array<{
    scopeLogs?: Array<{
      logRecords?: Array<{ eventName?: string; timeUnixNano?: string; body?: OtlpValue; attributes?: Array<{ key: string; value?: OtlpValue }> }>;
    }>;
  }>;
}

export type { ContractRecord };
