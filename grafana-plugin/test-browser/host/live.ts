import { DataFrame } from '@grafana/data';
import { flowRate, lokiFrame } from '../../src/fixtures/frames';
import type { Scenario } from './scenarios';

const WINDOW_MS = 15 * 60_000;
const KEYFRAME_EVERY_MS = 60_000;

interface Topo {
  nodes: Array<{ id: string; kind: string; layer: string; name: string; state: string }>;
  actors: Array<{
    id: string;
    kind: string;
    layer: string;
    name: string;
    node: string;
    state: string;
    restarts?: number;
  }>;
  flows: Array<{ from: string; to: string; messagesPerSec?: number }>;
}

/**
 * Preview feed: polls the running collector (through the preview server's /collector proxy) and
 * turns its contract events, a periodic keyframe of /v1/topology and the flow rates into the same
 * frames Loki and Prometheus would return, over a sliding 15-minute window.
 */
export function startLive(
  render: (s: Scenario) => void,
  status: (text: string) => void,
  base = '/collector',
  pollMs = 2000
): void {
  const lines: Array<{ time: number; line: string }> = [];
  const flows = new Map<string, { from: string; to: string; times: number[]; rates: number[] }>();
  let cursor = 0;
  let seq = 0;
  let lastKeyframe = 0;
  // Every actor's node as ever seen: a failed node's actors leave /v1/topology, but their flows stay in the window.
  const nodeOf = new Map<string, string>();
  const poll = async () => {
    const now = Date.now();
    try {
      const ev = (await (await fetch(`${base}/v1/events?since=${cursor}&limit=10000`)).json()) as {
        events: Array<Record<string, unknown>>;
      };
      // GET /v1/events answers { cursor, events: [{ cursor, record }] } (collector/src/http/server.ts).
      for (const e of ev.events) {
        const { cursor: c, record } = e as { cursor?: unknown; record?: Record<string, unknown> };
        cursor = Math.max(cursor, Number(c) || 0);
        if (!record) {
          continue;
        }
        lines.push({ time: Date.parse(String(record.time)) || now, line: JSON.stringify(record) });
        const actor = record.actor as { id?: string; node?: string } | undefined;
        if (actor?.id && actor.node) {
          nodeOf.set(actor.id, actor.node);
        }
      }
      const topo = (await (await fetch(`${base}/v1/topology`)).json()) as Topo;
      for (const a of topo.actors) {
        nodeOf.set(a.id, a.node);
      }
      if (now - lastKeyframe >= KEYFRAME_EVERY_MS) {
        lastKeyframe = now;
        const keyframe = {
          v: 1,
          type: 'keyframe',
          time: new Date(now).toISOString(),
          emitter: 'preview',
          seq: ++seq,
          nodes: topo.nodes
            .filter((n) => n.state !== 'left')
            .map((n) => ({
              id: n.id,
              kind: n.kind,
              layer: n.layer,
              name: n.name,
              state: n.state === 'failed' ? 'failed' : 'up',
            })),
          actors: topo.actors.map((a) => ({
            id: a.id,
            kind: a.kind,
            layer: a.layer,
            name: a.name,
            node: a.node,
            state: a.state === 'exited' || a.state === 'unknown' ? a.state : 'running',
            restarts: a.restarts ?? 0,
          })),
        };
        lines.push({ time: now, line: JSON.stringify(keyframe) });
      }
      for (const f of topo.flows) {
        const key = `${f.from}\u0000${f.to}`;
        const s = flows.get(key) ?? { from: f.from, to: f.to, times: [], rates: [] };
        s.times.push(now);
        s.rates.push(f.messagesPerSec ?? 0);
        flows.set(key, s);
      }
      const from = now - WINDOW_MS;
      while (lines.length && lines[0].time < from) {
        lines.shift();
      }
      const series: DataFrame[] = [
        lokiFrame(
          'events',
          [...lines].sort((a, b) => a.time - b.time)
        ),
      ];
      for (const s of flows.values()) {
        while (s.times.length && s.times[0] < from) {
          s.times.shift();
          s.rates.shift();
        }
        // A flow whose ends were never placed on a node cannot be drawn truthfully; it waits for the placement.
        if (s.times.length && nodeOf.has(s.from) && nodeOf.has(s.to)) {
          series.push(flowRate(s.from, s.to, nodeOf.get(s.from) ?? '', nodeOf.get(s.to) ?? '', s.times, s.rates));
        }
      }
      status(
        `collector ${base}: ${topo.nodes.length} nodes, ${topo.actors.length} actors, ${topo.flows.length} flows, ${lines.length} events in window`
      );
      render({ from, to: now, series, info: {} });
    } catch (e) {
      status(
        `collector not reachable through ${base} (${e instanceof Error ? e.message : String(e)}); start it with npm start at the repository root`
      );
    }
    setTimeout(poll, pollMs);
  };
  void poll();
}
