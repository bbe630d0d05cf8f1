// Assembles the collector: sources → scheduler → normalise → topology/store → OTel export, plus the HTTP surface.
import { hostname } from 'node:os';
import { CONTRACT_VERSION, type ContractRecord } from '@harmonix/contract';
import type { Config } from './config/load.js';
import { systemClock, type Clock } from '@harmonix/delivery';
import { createLogger, type Logger } from './core/logger.js';
import { Pipeline } from './core/pipeline.js';
import { throttledWarn } from './core/throttled-log.js';
import { SourceRunner } from './core/scheduler.js';
import type { BatchHints, RecordSink } from './core/sink.js';
import type { Source, SourceContext } from './core/source.js';
import { CollectorStats } from './core/stats.js';
import { ObservationStore } from './core/store.js';
import { lifecycleLogSink } from './export/lifecycle-logs.js';
import { registerSelfMetrics, registerSourceMetrics, registerTopologyMetrics } from './export/metrics.js';
import { COLLECTOR_VERSION, collectorResource } from './export/resource.js';
import { Telemetry } from './export/telemetry.js';
import { createSurface, type RouteExtension } from './http/server.js';
import { redactUrl } from './config/redact.js';
import { Topology } from './topology/service.js';
import { TopologyState } from './topology/state.js';

export interface CollectorOptions {
  logger?: Logger;
  clock?: Clock;
  /** Extra routes (annotations, alerts…) mounted on the local surface. */
  routes?: RouteExtension[];
  /** Extra sinks for accepted records (flight recorder…). */
  sinks?: RecordSink[];
  /** Replaces the built-in OTLP lifecycle log sink (the flight recorder ships lifecycle logs durably instead). */
  lifecycleSink?: RecordSink;
}

export interface Collector {
  /** Base URL of the local surface, e.g. http://127.0.0.1:9464 */
  url: string;
  config: Config;
  topology: Topology;
  pipeline: Pipeline;
  telemetry: Telemetry;
  stats: CollectorStats;
  runners: readonly SourceRunner[];
  hostNodeId: string;
  logger: Logger;
  /** Applies validated records as if ingested (used by the demo and tests through the same path as POST /v1/events). */
  ingest(records: ContractRecord[], hints?: BatchHints): number;
  stop(): Promise<void>;
}

export async function startCollector(config: Config, options: CollectorOptions = {}): Promise<Collector> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const host = hostname();
  const hostNodeId = `host:${host}`;
  const incarnation = `${host}/${process.pid}-${started}`;

  const stats = new CollectorStats();
  const store = new ObservationStore();
  const topology = new Topology(`collector@${incarnation}`, undefined, new TopologyState(config.topology));
  const warn = throttledWarn(logger, 60_000, () => clock.now());
  topology.onAnomaly = (a) => warn(`anomaly:${a.reason}`, { anomaly: a }, 'topology anomaly, counted in hmx_collector_topology_anomalies_total');
  const pipeline = new Pipeline(store, topology, stats, warn, { logs: (l) => telemetry.emitSourceLogs(l), traces: (t) => telemetry.exportTraces(t) });
  const telemetry = await Telemetry.create(collectorResource(config.serviceName, config.resourceAttributes), config.otlp, stats);
  if (options.lifecycleSink) topology.addSink(options.lifecycleSink);
  else if (telemetry.lifecycleLogs) topology.addSink(lifecycleLogSink(telemetry.lifecycleLogs));
  for (const sink of options.sinks ?? []) topology.addSink(sink);

  const sources: Source[] = config.sources.map((s) => s.factory.create(s.options));
  for (const source of sources) pipeline.register(source);
  pipeline.recordMeasurement = registerSourceMetrics(
    telemetry.meter,
    sources.flatMap((s) => s.metrics),
    store,
  );
  registerTopologyMetrics(telemetry.meter, topology);

  // The machine the collector runs on is a node of the topology; local actors (daemons…) sit on it.
  let ownSeq = 0;
  topology.apply({
    v: CONTRACT_VERSION,
    type: 'node.joined',
    time: new Date(started).toISOString(),
    emitter: topology.emitter,
    seq: ++ownSeq,
    node: { id: hostNodeId, kind: 'host', layer: 'os', name: host },
  });

  const abort = new AbortController();
  const runners: SourceRunner[] = [];
  const runnerOf = new Map<Source, SourceRunner>();
  registerSelfMetrics(
    telemetry.meter,
    stats,
    () => runners,
    () => clock.now(),
  );
  const contextFor = (source: Source): SourceContext => {
    let seq = 0;
    return {
      logger: logger.child({ source: source.name }),
      emitter: `${source.name}@${incarnation}`,
      hostNodeId,
      nextSeq: () => ++seq,
      emit: (frame) => {
        pipeline.accept(source.name, frame, 'upsert');
        // Pushed records or samples while the circuit is open: try the half-open attempt now (tailed lines say
        // nothing about the source's API).
        if (frame.records?.length || frame.observations?.length) runnerOf.get(source)?.wake();
      },
    };
  };
  const contexts = sources.map(contextFor);
  for (const [i, source] of sources.entries()) {
    const ctx = contexts[i]!;
    const runner = new SourceRunner(
      source,
      config.sources[i]!.schedule,
      ctx,
      {
        onFrame: (src, frame) => pipeline.accept(src.name, frame, 'replace'),
        onAttempt: (src, ok, seconds, reason) => {
          stats.recordDuration(src.name, seconds);
          if (!ok) stats.bump(stats.errors, CollectorStats.key(src.name, reason ?? 'error'));
        },
        onRetry: (src) => stats.bump(stats.retries, src.name),
      },
      clock,
    );
    runners.push(runner);
    runnerOf.set(source, runner);
  }
  // Start sources without letting one slow start hold up the others or the surface.
  const loops = runners.map(async (runner, i) => {
    try {
      await runner.source.start?.(contexts[i]!);
    } catch (err) {
      logger.error({ source: runner.source.name, err: String(err) }, 'source failed to start; collection will be retried');
    }
    await runner.run(abort.signal);
  });

  const keyframes = setInterval(() => topology.emitKeyframe(clock.now()), config.keyframeIntervalMs);
  keyframes.unref();

  let stopping = false;
  const surface = createSurface(
    {
      logger,
      token: config.token,
      maxBodyBytes: config.ingest.maxBodyBytes,
      maxBatch: config.ingest.maxBatch,
      timeouts: config.http,
      // The address it listens on is always a name it may be reached by.
      allowedHosts: [config.listen.host, ...config.http.allowedHosts],
      status: () => ({
        server_time_utc: new Date(clock.now()).toISOString(),
        version: COLLECTOR_VERSION,
        uptime_seconds: Math.round((clock.now() - started) / 1000),
        otlp: config.otlp
          ? {
              endpoint: redactUrl(config.otlp.endpoint),
              failures: Object.fromEntries(stats.exportFailures),
              successes: Object.fromEntries(stats.exportSuccesses),
            }
          : null,
        sources: Object.fromEntries(
          runners.map((r) => [r.source.name, { layer: r.source.layer, ...r.health, data: r.freshness(clock.now()), problems: r.source.problems?.() }]),
        ),
        dropped: Object.fromEntries(stats.dropped),
        topology: {
          nodes: topology.state.nodes.size,
          actors: topology.state.actors.size,
          flows: topology.state.flows.size,
          emitters: topology.state.emitters.size,
          forgottenEmitters: topology.state.forgottenEmitters,
          cursor: topology.lastCursor,
          anomalies: Object.fromEntries(topology.anomalies),
        },
      }),
      healthy: () => !stopping && (runners.length === 0 || runners.some((r) => r.health.state !== 'circuit_open' && r.health.state !== 'failing')),
      topology: () => topology.snapshot(clock.now()),
      recent: (since, limit) => ({ cursor: topology.lastCursor, events: topology.recentSince(since, limit) }),
      ingest: (records, hints) => pipeline.applyRecords(records, hints),
      serveMetrics: (req, res) => telemetry.serveMetrics(req, res),
    },
    options.routes,
  );
  const { port } = await surface.listen(config.listen.host, config.listen.port);
  const url = `http://${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${port}`;

  return {
    url,
    config,
    topology,
    pipeline,
    telemetry,
    stats,
    runners,
    hostNodeId,
    logger,
    ingest: (records, hints) => pipeline.applyRecords(records, hints),
    async stop() {
      stopping = true;
      clearInterval(keyframes);
      abort.abort();
      await Promise.allSettled(loops);
      await Promise.allSettled(sources.map((s) => s.stop?.()));
      await surface.close();
      for (const sink of options.sinks ?? []) await sink.close?.();
      await telemetry.shutdown();
    },
  };
}
