// Reading the real collector's HTTP surface the way a person or the panel would (GET /v1/topology, /v1/events).
import type { ContractRecord } from '@harmonix/contract';

export interface TopologyView {
  nodes: { id: string; kind: string; layer: string; name: string; state: 'up' | 'failed' }[];
  actors: { id: string; node: string; kind: string; state: 'running' | 'exited' | 'unknown'; restarts: number }[];
  flows: { from: string; to: string; messages: number; bytes: number }[];
  anomalies: Record<string, number>;
}

export async function topology(url: string): Promise<TopologyView> {
  const response = await fetch(`${url}/v1/topology`);
  if (response.status !== 200) throw new Error(`GET /v1/topology answered ${response.status}`);
  return (await response.json()) as TopologyView;
}

/** Every recent contract event the collector holds (follows the cursor across pages). */
export async function events(url: string): Promise<ContractRecord[]> {
  const out: ContractRecord[] = [];
  let since = 0;
  for (;;) {
    const response = await fetch(`${url}/v1/events?since=${since}&limit=10000`);
    if (response.status !== 200) throw new Error(`GET /v1/events answered ${response.status}`);
    const page = (await response.json()) as { events: { cursor: number; record: ContractRecord }[] };
    if (page.events.length === 0) return out;
    out.push(...page.events.map((e) => e.record));
    since = page.events[page.events.length - 1]!.cursor;
  }
}

/** Bounded wait (no timing assertion): calls `check` until it returns a value, or fails naming `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
