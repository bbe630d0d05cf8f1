// The agent as the CLI runs it: the collector core plus the flight recorder and the Harmonix HTTP routes.
import { startCollector, type Collector } from './app.js';
import type { Config } from './config/load.js';
import type { Logger } from './core/logger.js';
import { collectorResource } from './export/resource.js';
import { harmonixRoutes, parseHarmonixSection } from './http/harmonix-routes.js';
import type { RouteExtension } from './http/server.js';
import { createFlightRecorder, type FlightRecorder } from './recorder/index.js';

export interface Agent {
  collector: Collector;
  recorder: FlightRecorder;
  stop(): Promise<void>;
}

export async function startAgent(config: Config, logger: Logger, extraRoutes: RouteExtension[] = []): Promise<Agent> {
  // Both parse their own config sections first, so a bad key exits 2 before anything starts.
  const hooks = parseHarmonixSection(config.raw.harmonix);
  const recorder = createFlightRecorder(config.raw.recorder, {
    logger,
    otlp: config.otlp,
    resource: collectorResource(config.serviceName, config.resourceAttributes),
  });
  let collector: Collector | undefined;
  const routes = [
    recorder.route,
    harmonixRoutes({
      apply: (records) => collector?.ingest(records) ?? 0,
      get tracer() {
        return collector!.telemetry.tracer;
      },
      hooks,
      logger,
      emitter: `harmonix-api@${process.pid}-${Date.now()}`,
    }),
    ...extraRoutes,
  ];
  try {
    collector = await startCollector(config, { logger, routes, sinks: [recorder.sink], lifecycleSink: recorder.lifecycleSink });
  } catch (err) {
    await recorder.close();
    throw err;
  }
  recorder.bindMeter(collector.telemetry.meter);
  const { stats } = collector;
  recorder.onExport((ok) => stats.bump(ok ? stats.exportSuccesses : stats.exportFailures, 'logs'));
  const running = collector;
  return {
    collector: running,
    recorder,
    stop: () => running.stop(),
  };
}
