// `hmx-collector verify`: checks the flight recorder archive; exit 1 on any missing, corrupt, unsafe or extra file.
import type { Command } from 'commander';
import { parseRecorderConfig } from '../recorder/config.js';
import { verifyArchive } from '../recorder/verify.js';
import { resolveConfig } from './options.js';

export interface ArchiveFlags {
  archive?: string;
  config?: string;
}

/** --archive, else recorder.dir of the configuration (file, env), else the default directory. */
export function archiveDir(flags: ArchiveFlags): string {
  if (flags.archive !== undefined) return parseRecorderConfig({ dir: flags.archive }).dir;
  return parseRecorderConfig(resolveConfig({ config: flags.config }).raw.recorder).dir;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check every flight recorder bundle against the manifest (SHA-256, size, completeness); exit 1 on any problem')
    .option('--archive <dir>', 'archive directory (default: recorder.dir of the configuration)')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--json', 'print the report as JSON')
    .action((flags: ArchiveFlags & { json?: boolean }) => {
      const started = process.hrtime.bigint();
      const report = verifyArchive(archiveDir(flags));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        for (const p of report.problems) process.stdout.write(`${p.kind.toUpperCase().padEnd(8)} ${p.detail}\n`);
        for (const n of report.notes) process.stdout.write(`note     ${n}\n`);
        const mb = report.bytes / 1e6;
        process.stdout.write(
          `${report.ok ? 'OK' : 'FAILED'}: ${report.dir}: ${report.bundles} bundle(s) verified, ${report.records} records, ${mb.toFixed(2)} MB in ${seconds.toFixed(2)} s; ${report.problems.length} problem(s)\n`,
        );
      }
      if (!report.ok) process.exitCode = 1;
    });
}
