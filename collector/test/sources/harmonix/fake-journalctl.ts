// A fake `journalctl` executable: a real child process printing journald's JSON export lines. The first run
// prints two entries and dies; a run with --after-cursor prints what came after that cursor and keeps following.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeFakeJournalctl(dir: string): { command: string; argsLog: string } {
  const command = join(dir, 'journalctl');
  const argsLog = join(dir, 'args.log');
  const entries = [1, 2, 3, 4].map((i) => ({
    __CURSOR: `s=abc;i=${i}`,
    __REALTIME_TIMESTAMP: String(1762891317000000 + i * 1000000),
    PRIORITY: i === 3 ? '3' : '6',
    _SYSTEMD_UNIT: 'helix-shadow-metrics.service',
    MESSAGE: `recovery step ${i}`,
  }));
  writeFileSync(
    command,
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(argsLog)}, JSON.stringify(args) + '\\n');
const entries = ${JSON.stringify(entries)};
const after = args.find((a) => a.startsWith('--after-cursor='));
const from = after ? entries.findIndex((e) => e.__CURSOR === after.slice('--after-cursor='.length)) + 1 : 0;
if (after) {
  for (const e of entries.slice(from)) process.stdout.write(JSON.stringify(e) + '\\n');
  setInterval(() => {}, 1000); // --follow: wait for more
} else {
  for (const e of entries.slice(0, 2)) process.stdout.write(JSON.stringify(e) + '\\n');
  process.stderr.write('Failed to iterate through journal: Bad message\\n');
  process.exitCode = 1;
}
`,
  );
  chmodSync(command, 0o755);
  return { command, argsLog };
}
