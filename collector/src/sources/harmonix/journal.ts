// Follows a systemd unit's journal through `journalctl --follow -o json` (when available). The last entry's
// __CURSOR is remembered, so a restarted journalctl resumes right after it: no duplicates, no gaps.
import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter, MAX_LINE_BYTES, type Line } from '../../core/lines.js';

export interface JournalOptions {
  /** Executable to run (tests point this at a fake journalctl). */
  command: string;
  /** Wait before restarting after journalctl exits or cannot start. */
  restartMs: number;
}

export const DEFAULT_JOURNAL: JournalOptions = { command: 'journalctl', restartMs: 5000 };

export class JournalFollower {
  private child: ChildProcess | undefined;
  private cursor: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly unit: string,
    private readonly options: JournalOptions = DEFAULT_JOURNAL,
  ) {}

  args(): string[] {
    const from = this.cursor ? [`--after-cursor=${this.cursor}`] : ['--lines=0'];
    return ['--follow', '--output=json', '--no-pager', `--unit=${this.unit}`, ...from];
  }

  /** `onLines` gets each JSON line; `onProblem` hears why journalctl stopped (it is restarted). */
  start(onLine: (line: string) => void, onProblem: (problem: string) => void): void {
    if (this.stopped) return;
    const child = spawn(this.options.command, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-500)));
    const lines = new LineSplitter(MAX_LINE_BYTES);
    const each = (line: Line) => {
      const cursor = /"__CURSOR"\s*:\s*"([^"]+)"/.exec(line.text)?.[1];
      if (cursor) this.cursor = cursor;
      if (line.text.trim()) onLine(line.text);
    };
    child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk).forEach(each));
    child.stdout!.on('end', () => lines.end().forEach(each));
    const restart = (problem: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.stopped) return;
      onProblem(problem);
      this.timer = setTimeout(() => this.start(onLine, onProblem), this.options.restartMs);
    };
    child.on('error', (err) => restart(`journalctl unavailable: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    // 'close' (not 'exit'): stdout is fully read, so the cursor is the last line's.
    child.on('close', (code, signal) => restart(`journalctl exited (${signal ?? code})${stderr ? `: ${stderr.trim()}` : ''}`));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.child?.kill('SIGTERM');
    this.child = undefined;
  }
}
