// The flight recorder: createFlightRecorder() gives the collector a sink that archives every accepted record and
// keyframe, and (with an OTLP endpoint) a lifecycle sink whose records are shipped durably from that archive.
import type { Meter } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { ConfigError } from '../config/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { RecordSink } from '../core/sink.js';
import { collectorResource } from '../export/resource.js';
import { ok, type RouteExtension } from '../http/routes.js';
import { redactUrl } from '../config/redact.js';
import { Archive } from './archive.js';
import type { ArchivedRecord } from './bundle.js';
import { parseRecorderConfig, type RecorderConfig } from './config.js';
import { registerRecorderMetrics } from './metrics.js';
import { createLogBatchSender, type OtlpTarget } from './otlp-logs.js';
import { Shipper, type ShipperOptions } from './shipper.js';

export { parseRecorderConfig, type RecorderConfig } from './config.js';

export interface FlightRecorderDeps {
  logger?: Logger;
  /** The collector's meter (collector.telemetry.meter); or call bindMeter() once the collector runs. */
  meter?: Meter;
  /** The collector's OTLP settings (config.otlp); without them nothing is shipped, only archived. */
  otlp?: OtlpTarget;
  serviceName?: string;
  resource?: Resource;
  /** Relative `recorder.dir` values resolve against this (default: the working directory). */
  baseDir?: string;
  shipper?: ShipperOptions;
  now?: () => number;
}

export interface FlightRecorder {
  readonly config: RecorderConfig;
  /** Add to startCollector's `sinks`: archives every accepted record (write) and keyframe (writeKeyframe). */
  readonly sink: RecordSink;
  /** Pass as startCollector's `lifecycleSink` (replaces the direct OTLP log sink); undefined when nothing ships. */
  readonly lifecycleSink?: RecordSink;
  /** GET /v1/recorder on the local surface (pass in startCollector's `routes`). */
  readonly route: RouteExtension;
  status(): Record<string, unknown>;
  bindMeter(meter: Meter): void;
  /** Reports the outcome of every shipped export request (the collector's /status `otlp` counts, signal `logs`). */
  onExport(count: (ok: boolean) => void): void;
  /** Seals the open bundle, stops shipping (after a short grace), closes files. Idempotent; sink.close() calls it. */
  close(): Promise<void>;
}

export function createFlightRecorder(rawRecorderConfig: unknown, deps: FlightRecorderDeps = {}): FlightRecorder {
  const config = parseRecorderConfig(rawRecorderConfig, deps.baseDir);
  const logger = (deps.logger ?? silentLogger()).child({ component: 'flight-recorder' });
  if (!config.enabled) {
    const status = () => ({ enabled: false });
    return { config, sink: { name: 'flight-recorder', write() {} }, route: routeFor(status), status, bindMeter() {}, onExport() {}, close: async () => {} };
  }
  let archive: Archive;
  try {
    archive = new Archive({ ...config, logger, now: deps.now });
  } catch (err) {
    throw new ConfigError('recorder.dir', `a writable archive directory no other collector uses (${(err as Error).message})`, config.dir);
  }
  const shipper =
    config.ship && deps.otlp
      ? new Shipper(archive, createLogBatchSender(deps.resource ?? collectorResource(deps.serviceName ?? 'hmx-collector'), deps.otlp), logger, deps.shipper)
      : undefined;
  let writeErrors = 0;
  const guarded = (write: () => void) => {
    try {
      write();
    } catch (err) {
      // A full or read-only disk must not stop the collector; it is counted and logged (first, then every 1000th).
      if (writeErrors++ % 1000 === 0) logger.error({ err: String(err), errors: writeErrors }, 'flight recorder: cannot archive record');
    }
  };
  const append = (record: ArchivedRecord, json?: string, timeMs?: number) => guarded(() => archive.append(record, json, timeMs));
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await shipper?.stop();
      await archive.close();
    })());
  const status = () => ({
    enabled: true,
    dir: config.dir,
    bundles: archive.bundles.length,
    bytes: archive.bytes,
    maxBytes: config.maxBytes,
    retentionSeconds: config.retentionMs / 1000,
    archived: archive.lastN,
    late: archive.lateRecords,
    writeErrors,
    shipping: shipper
      ? { endpoint: deps.otlp ? redactUrl(deps.otlp.endpoint) : null, ...shipper.counters }
      : { endpoint: null, reason: config.ship ? 'no OTLP endpoint configured' : 'recorder.ship is false' },
  });
  let meterBound = false;
  const bindMeter = (meter: Meter) => {
    if (meterBound) return;
    meterBound = true;
    registerRecorderMetrics(meter, () => ({
      pending: shipper?.counters.pending ?? 0,
      sent: shipper?.counters.sent ?? 0,
      dropped: shipper?.counters.dropped ?? 0,
      late: archive.lateRecords,
      bytes: archive.bytes,
    }));
  };
  if (deps.meter) bindMeter(deps.meter);
  return {
    config,
    sink: {
      name: 'flight-recorder',
      write: (record, _cursor, json, timeMs) => append(record, json, timeMs),
      writeKeyframe: (kf) => append(kf),
      endBatch: () => guarded(() => archive.endBatch()),
      close,
    },
    // Records already reach the archive through `sink`; this sink only takes the place of the direct OTLP log sink.
    lifecycleSink: shipper ? { name: 'flight-recorder-shipper', write() {}, writeKeyframe() {} } : undefined,
    route: routeFor(status),
    status,
    bindMeter,
    onExport: (count) => {
      if (shipper) shipper.onExport = count;
    },
    close,
  };
}

function routeFor(status: () => object): RouteExtension {
  return (routes) => routes.get('/v1/recorder', () => ok(status()));
}
