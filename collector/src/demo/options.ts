// Options of startDemo, with defaults and errors that name the offending option.
import type { ChaosOptions } from './chaos.js';

export interface DemoOptions {
  /** Collector base URL the SDKs deliver to (POST <url>/v1/events). */
  collectorUrl: string;
  token?: string;
  /** Node processes (default 3). */
  nodes?: number;
  /** Actors per node: one router, the rest workers (default 4). */
  actorsPerNode?: number;
  /** New messages per second per node (default 5; 0 = no traffic). */
  messageRateHz?: number;
  /** Chaos loop: true (defaults), false, or its intervals (default on). */
  chaos?: boolean | ChaosOptions;
  /** Seed of traffic and chaos choices (default: the start time). */
  seed?: number;
  /** Delay before a dead node process is restarted (default 1000 ms). */
  restartDelayMs?: number;
  /** SDK flush interval in every process (default 500 ms). */
  flushIntervalMs?: number;
  mailboxCapacity?: number;
  /** How long startDemo waits for every node to come up (default 60000 ms). */
  startTimeoutMs?: number;
  /** OTLP/HTTP endpoint for message spans (default: OTEL_EXPORTER_OTLP_ENDPOINT if set). */
  otlpEndpoint?: string;
}

export type ResolvedDemoOptions = ReturnType<typeof validateDemoOptions>;

function integer(value: number | undefined, fallback: number, field: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`demo option ${field}: expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

export function validateDemoOptions(input: DemoOptions) {
  if (typeof input !== 'object' || input === null) throw new TypeError('demo options: expected an object');
  if (typeof input.collectorUrl !== 'string' || !/^https?:\/\//.test(input.collectorUrl)) {
    throw new TypeError(`demo option collectorUrl: expected an http(s) URL, got ${JSON.stringify(input.collectorUrl)}`);
  }
  const rate = input.messageRateHz ?? 5;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 10_000) {
    throw new TypeError(`demo option messageRateHz: expected a number from 0 to 10000, got ${String(rate)}`);
  }
  const chaos: ChaosOptions | false = input.chaos === false ? false : input.chaos === true || input.chaos === undefined ? {} : input.chaos;
  if (chaos) {
    integer(chaos.actorCrashIntervalMs, 0, 'chaos.actorCrashIntervalMs', 0, 86_400_000);
    integer(chaos.nodeKillIntervalMs, 0, 'chaos.nodeKillIntervalMs', 0, 86_400_000);
    integer(chaos.minUptimeMs, 0, 'chaos.minUptimeMs', 0, 86_400_000);
  }
  return {
    collectorUrl: input.collectorUrl,
    token: input.token,
    otlpEndpoint: input.otlpEndpoint,
    nodes: integer(input.nodes, 3, 'nodes', 1, 200),
    actorsPerNode: integer(input.actorsPerNode, 4, 'actorsPerNode', 1, 1000),
    messageRateHz: rate,
    chaos,
    seed: integer(input.seed, Date.now() % 2 ** 31, 'seed', 0, 2 ** 32 - 1),
    restartDelayMs: integer(input.restartDelayMs, 1000, 'restartDelayMs', 0, 600_000),
    flushIntervalMs: integer(input.flushIntervalMs, 500, 'flushIntervalMs', 10, 600_000),
    mailboxCapacity: integer(input.mailboxCapacity, 1000, 'mailboxCapacity', 1, 1_000_000),
    startTimeoutMs: integer(input.startTimeoutMs, 60_000, 'startTimeoutMs', 100, 600_000),
  };
}
