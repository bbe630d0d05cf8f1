// `hmx-collector demo`: the collector plus a demo cluster of real processes (what `npm start` runs).
import { InvalidArgumentError, type Command } from 'commander';
import { startAgent } from '../agent.js';
import { createLogger } from '../core/logger.js';
import { resolveConfig, type CommonFlags } from './options.js';
import { addCommonOptions, announce, untilSignal } from './run.js';

interface DemoFlags extends CommonFlags {
  nodes: number;
  actors: number;
  rate: number;
  chaos: boolean;
  seed?: number;
}

const int = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name}: expected an integer from ${min} to ${max}`);
  return n;
};

export function registerDemo(program: Command): void {
  addCommonOptions(program.command('demo').description('run the collector with a demo cluster of real node processes (actors, messages, chaos)'))
    .option('--nodes <n>', 'demo node processes', int('--nodes', 1, 200), 3)
    .option('--actors <n>', 'actors per node', int('--actors', 1, 1000), 4)
    .option('--rate <hz>', 'new messages per second per node', int('--rate', 0, 10000), 5)
    .option('--no-chaos', 'do not crash actors or kill node processes')
    .option('--seed <n>', 'seed of traffic and chaos', int('--seed', 0, 2 ** 32 - 1))
    .action(async (flags: DemoFlags) => {
      const config = resolveConfig(flags);
      const logger = createLogger(config.logLevel);
      const agent = await startAgent(config, logger);
      const collector = agent.collector;
      // Loaded on use: the demo cluster pulls in the SDK and its OTLP exporter, which `run` never needs.
      const { startDemo } = await import('../demo/index.js');
      const demo = await startDemo({
        collectorUrl: collector.url,
        token: config.token,
        otlpEndpoint: config.otlp?.endpoint,
        nodes: flags.nodes,
        actorsPerNode: flags.actors,
        messageRateHz: flags.rate,
        chaos: flags.chaos,
        seed: flags.seed,
      });
      const pids = demo
        .nodes()
        .map((n) => `${n.name}=${n.pid}`)
        .join(' ');
      announce(collector.url, config.otlp?.endpoint, [`  demo     ${flags.nodes} node processes (${pids}); kill one and watch ${collector.url}/v1/topology`]);
      await untilSignal();
      await demo.stop();
      await agent.stop();
    });
}
