// The demo's chaos loop (seeded): now and then an actor is made to throw, and now and then a whole node
// process is SIGKILLed. Both are announced on the timeline as audit records through the SDK.
import type { HarmonixSdk } from '@harmonix/sdk';
import { actorsOf, meshNode } from './ids.js';
import type { Rng } from '../core/random.js';

export interface ChaosOptions {
  /** Mean time between injected actor crashes (default 5000 ms; 0 disables). */
  actorCrashIntervalMs?: number;
  /** Mean time between node process kills (default 30000 ms; 0 disables). */
  nodeKillIntervalMs?: number;
  /** A node is only killed after it has been up this long, and only while no other node is down (default 5000 ms). */
  minUptimeMs?: number;
}

export interface ChaosTarget {
  name: string;
  pid: number | undefined;
  up: boolean;
  upSince: number;
}

export interface ChaosHooks {
  targets(): ChaosTarget[];
  crashActor(node: string, actor: string): void;
  killNode(node: string): void;
}

export function startChaos(options: ChaosOptions, actorsPerNode: number, rng: Rng, sdk: HarmonixSdk, hooks: ChaosHooks): () => void {
  const crashEvery = options.actorCrashIntervalMs ?? 5000;
  const killEvery = options.nodeKillIntervalMs ?? 30000;
  const minUptime = options.minUptimeMs ?? 5000;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  // Jittered intervals (0.5×…1.5× the mean) so events do not line up.
  const every = (meanMs: number, action: () => void) => {
    if (meanMs <= 0) return;
    const arm = () => {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          if (stopped) return;
          action();
          arm();
        },
        meanMs * (0.5 + rng.next()),
      );
      timer.unref();
      timers.add(timer);
    };
    arm();
  };

  every(crashEvery, () => {
    const target = rng.pick(hooks.targets().filter((t) => t.up));
    const actor = target && rng.pick(actorsOf(target.name, actorsPerNode));
    if (!target || !actor) return;
    sdk.audit(actor.id, `chaos: injected crash into actor ${actor.id}`, 'info');
    hooks.crashActor(target.name, actor.name);
  });

  every(killEvery, () => {
    const all = hooks.targets();
    if (all.some((t) => !t.up)) return;
    const now = Date.now();
    const target = rng.pick(all.filter((t) => now - t.upSince >= minUptime && t.pid !== undefined));
    if (!target) return;
    sdk.audit(meshNode(target.name).id, `chaos: SIGKILL to node process ${target.name} (pid ${target.pid})`, 'warning');
    hooks.killNode(target.name);
  });

  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
  };
}
