#!/usr/bin/env -S node --max-semi-space-size=4 --no-concurrent-recompilation
// hmx-collector: the command line. Invalid flags or configuration exit with code 2 and name the key.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { COLLECTOR_VERSION } from '../export/resource.js';
import { registerReplay } from './replay.js';
import { registerDemo } from './demo.js';
import { registerRun } from './run.js';
import { registerVerify } from './verify.js';

export const EXIT_USAGE = 2;

const program = new Command()
  .name('hmx-collector')
  .description('Harmonix Mission Control telemetry agent: host, k3s, Akash and Harmonix telemetry and the live topology, exported over OTLP')
  .version(COLLECTOR_VERSION)
  .showHelpAfterError()
  .exitOverride();

registerRun(program);
registerDemo(program);
registerVerify(program);
registerReplay(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`hmx-collector: ${err.message}\n`);
    process.exit(EXIT_USAGE);
  }
  process.stderr.write(`hmx-collector: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}
