import { spawn, type ChildProcess } from 'node:child_process';
import { pollUntil, StopPolling } from './wait.js';

/** Keeps the last `limit` characters written by a child (stdout and stderr interleaved). */
class OutputTail {
  private text = '';
  constructor(private readonly limit = 64 * 1024) {}
  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.limit) this.text = this.text.slice(this.text.length - this.limit);
  }
  lastLines(n: number): string {
    return this.text.split('\n').slice(-n).join('\n');
  }
  all(): string {
    return this.text;
  }
}

export interface StartOptions {
  /** Short name used in error messages, e.g. "prometheus". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolves true once the process is ready (e.g. an HTTP probe). */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

/** A child process started by a test; it runs in its own process group. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** The last lines of the child's stderr/stdout, for error messages. */
  output(lines?: number): string;
  /** True once the child has exited. */
  exited(): boolean;
  /** SIGTERM the whole process group, SIGKILL after `graceMs`; resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort if a test forgot to stop a child or the runner kills this process: never leave
  // servers behind. For signals, kill the children and re-raise (the listener is gone by then, so
  // the default action ends the process as it would have).
  const killAll = () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/** Resolves true when GET `url` answers with a 2xx status. */
export function httpProbe(url: string): () => Promise<boolean> {
  return async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  };
}

/** Spawns a child and waits until `ready()` is true; throws with the child's output if it exits or times out. */
export async function startProcess(opts: StartOptions): Promise<ManagedProcess> {
  installExitHook();
  const tail = new OutputTail();
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true, // own process group, so stop() reaches grandchildren too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let hasExited = false;
  let spawnError: Error | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      exitCode = code;
      exitSignal = signal;
      live.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      hasExited = true;
      live.delete(child);
      resolve();
    });
  });
  child.stdout?.on('data', (d: Buffer) => tail.push(d));
  child.stderr?.on('data', (d: Buffer) => tail.push(d));

  const managed: ManagedProcess = {
    name: opts.name,
    pid: child.pid ?? -1,
    output: (lines = 40) => tail.lastLines(lines),
    exited: () => hasExited,
    async stop(graceMs = 5000) {
      if (hasExited) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // any grandchild still in the group
    },
  };

  const describeExit = () =>
    spawnError
      ? `${opts.name} could not be started (${opts.command}): ${spawnError.message}`
      : `${opts.name} exited before it was ready (code ${String(exitCode)}, signal ${String(exitSignal)})`;

  try {
    await pollUntil(
      async () => {
        if (hasExited) throw new StopPolling(describeExit());
        return (await opts.ready()) ? true : undefined;
      },
      {
        timeoutMs: opts.readyTimeoutMs ?? 30_000,
        intervalMs: 100,
        what: `${opts.name} to become ready`,
        detail: () => `${opts.name} output (last lines):\n${tail.lastLines(40)}`,
      },
    );
  } catch (err) {
    await managed.stop(1000);
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(hasExited && !msg.includes('output (last lines)') ? `${msg}\n${opts.name} output:\n${tail.lastLines(40)}` : msg);
  }
  return managed;
}
