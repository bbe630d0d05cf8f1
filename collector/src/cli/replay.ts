// `hmx-collector replay`: re-emits an archived period over OTLP (backfill with original timestamps, or time-shifted).
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { redactUrl } from '../config/redact.js';
import { parseDuration } from '../config/duration.js';
import { collectorResource } from '../export/resource.js';
import { createLogBatchSender } from '../recorder/otlp-logs.js';
import { progressBar } from '../recorder/progress.js';
import { replayArchive, ReplayRefused, type ReplayMode } from '../recorder/replay.js';
import { resolveConfig } from './options.js';
import { archiveDir } from './verify.js';

interface ReplayFlags {
  archive?: string;
  config?: string;
  from: string;
  to?: string;
  speed?: string;
  asFastAsPossible?: boolean;
  otlpEndpoint?: string;
  skipCorrupt?: boolean;
}

/** RFC 3339 / ISO 8601 date-time, `now`, or a duration before now such as `-2h`. */
export function parseTime(flag: string, text: string, now = Date.now()): number {
  const t = text.trim();
  if (t === 'now') return now;
  const rel = /^-(.+)$/.exec(t);
  if (rel) {
    const d = parseDuration(rel[1]!);
    if (d !== undefined) return now - d;
  } else if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return ms;
  }
  throw new ConfigError(flag, 'a time: RFC 3339 (2026-01-31T12:00:00Z), "now" or a duration ago such as -2h', text);
}

export function parseMode(flags: Pick<ReplayFlags, 'speed' | 'asFastAsPossible'>): ReplayMode {
  if (flags.speed !== undefined && flags.asFastAsPossible) throw new ConfigError('--speed', 'either --speed or --as-fast-as-possible, not both', flags.speed);
  if (flags.speed === undefined) return { kind: 'backfill' };
  const speed = Number(flags.speed);
  if (!/^\d+(\.\d+)?$/.test(flags.speed) || !(speed > 0) || speed > 1_000_000)
    throw new ConfigError('--speed', 'a number greater than 0 (1 = real time, 60 = a minute per second)', flags.speed);
  return { kind: 'shifted', speed };
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('re-emit an archived period over OTLP: original timestamps as fast as possible (backfill), or time-shifted to now with --speed')
    .requiredOption('--from <time>', 'start: RFC 3339 time, "now" or a duration ago (-2h)')
    .option('--to <time>', 'end (default: now)')
    .option('--speed <n>', 'time-shift to now and pace the replay: 1 = real time, 10 = ten times faster')
    .option('--as-fast-as-possible', 'keep original timestamps and send as fast as the endpoint accepts (the default)')
    .option('--otlp-endpoint <url>', 'OTLP/HTTP base URL (default: the configuration / OTEL_EXPORTER_OTLP_ENDPOINT)')
    .option('--skip-corrupt', 'replay the intact bundles when some fail verification (they are named)')
    .option('--archive <dir>', 'archive directory (default: recorder.dir of the configuration)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (flags: ReplayFlags) => {
      const now = Date.now();
      const fromMs = parseTime('--from', flags.from, now);
      const toMs = flags.to === undefined ? now : parseTime('--to', flags.to, now);
      if (toMs < fromMs) throw new ConfigError('--to', 'a time after --from', flags.to);
      const mode = parseMode(flags);
      const config = resolveConfig({ config: flags.config, otlpEndpoint: flags.otlpEndpoint });
      if (!config.otlp) throw new ConfigError('--otlp-endpoint', 'an OTLP/HTTP URL (flag, otlp.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)');
      const dir = archiveDir(flags);
      const sender = createLogBatchSender(collectorResource(config.serviceName, config.resourceAttributes), {
        endpoint: config.otlp.endpoint,
        headers: config.otlp.headers,
      });
      const bar = progressBar('replay');
      try {
        const result = await replayArchive({
          dir,
          fromMs,
          toMs,
          mode,
          skipCorrupt: flags.skipCorrupt === true,
          send: (records) => sender.send(records),
          onProgress: (done, total) => bar.update(done, total),
          onSkip: (_file, detail) => process.stderr.write(`skipping corrupt bundle: ${detail}\n`),
          onIncompleteKeyframe: (k) => process.stderr.write(`incomplete keyframe not replayed: ${k.problem}\n`),
        });
        bar.finish();
        process.stdout.write(
          `replayed ${result.records} records (${result.lifecycle} lifecycle, ${result.flow} flow, ${result.keyframe} keyframe parts) from ${result.bundles} bundle(s) to ${redactUrl(config.otlp.endpoint)}` +
            `${mode.kind === 'shifted' ? ` time-shifted at ${mode.speed}x` : ' with original timestamps'}; ${result.skipped.length} corrupt bundle(s) skipped` +
            `; ${result.incompleteKeyframes.length} incomplete keyframe(s) not replayed\n`,
        );
      } catch (err) {
        bar.finish();
        if (!(err instanceof ReplayRefused) && !(err instanceof Error && err.message.startsWith('OTLP endpoint'))) throw err;
        process.stderr.write(`hmx-collector replay: ${err.message}\n`);
        process.exitCode = 1;
      } finally {
        await sender.shutdown();
      }
    });
}
