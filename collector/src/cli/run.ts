// `hmx-collector run`: the agent.
import type { Command } from 'commander';
import { startAgent } from '../agent.js';
import { redactUrl } from '../config/redact.js';
import { createLogger, type Logger } from '../core/logger.js';
import { resolveConfig, type CommonFlags } from './options.js';

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'YAML configuration file')
    .option('-l, --listen <host:port>', 'local HTTP surface address (default 127.0.0.1:9464)')
    .option('--otlp-endpoint <url>', 'OTLP/HTTP base URL of an OpenTelemetry Collector (else OTEL_EXPORTER_OTLP_ENDPOINT)')
    .option('-i, --interval <duration>', 'default collection interval, e.g. 1s, 10s');
}

export function registerRun(program: Command): void {
  addCommonOptions(program.command('run').description('run the collector with its sources, topology and local HTTP surface')).action(
    async (flags: CommonFlags) => {
      const config = resolveConfig(flags);
      const logger = createLogger(config.logLevel);
      keepRunningOnRejection(logger);
      const agent = await startAgent(config, logger);
      const collector = agent.collector;
      announce(collector.url, config.otlp?.endpoint);
      await untilSignal();
      await agent.stop();
    },
  );
}

/** A stray rejected promise is a bug to log, not a reason to lose the topology held in memory. */
export function keepRunningOnRejection(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ error: reason instanceof Error ? reason.stack : String(reason).slice(0, 500) }, 'unhandled promise rejection (the collector keeps running)');
  });
}

export function announce(url: string, otlp: string | undefined, extra: string[] = []): void {
  const lines = [
    `hmx-collector listening on ${url}`,
    `  status   ${url}/status`,
    `  metrics  ${url}/metrics`,
    `  topology ${url}/v1/topology`,
    `  API docs ${url}/docs`,
    ...extra,
    otlp ? `  exporting OTLP to ${redactUrl(otlp)}` : '  running local-only: no OTLP endpoint configured (set --otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (s: NodeJS.Signals) => resolve(s);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
