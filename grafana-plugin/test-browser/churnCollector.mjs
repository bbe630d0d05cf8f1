// A fake collector whose topology changes on every poll of /v1/topology, in the shapes the real one serves
// (GET /v1/topology, GET /v1/events?since=): nodes fail, recover, leave and join, actors exit, flows are rewired.
// Each poll advances the world one step; the times are the server's clock, as a live collector's are.
import { createServer } from 'node:http';

const NAMES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'];
const ACTORS = ['router', 'worker-1', 'worker-2'];

/** Deterministic world: step k decides who is up and which flows run (no randomness, no wall-clock logic). */
function world(step) {
  // n1–n3 always; one more node per step up to n8, then they leave again (the layout grows and shrinks)
  const extra = step % 12 < 6 ? step % 12 : 12 - (step % 12);
  const nodes = NAMES.slice(0, 3 + extra).map((name, i) => ({
    name,
    state: i === step % 4 && step % 3 === 1 ? 'failed' : 'up',
  }));
  const actors = [];
  for (const n of nodes) {
    ACTORS.forEach((a, j) => {
      // a failed node's actors are unknown; one worker exits every other step
      const state = n.state === 'failed' ? 'unknown' : a === 'worker-2' && (step + j) % 2 === 0 ? 'exited' : 'running';
      actors.push({ id: `mesh:${n.name}/${a}`, node: `mesh:${n.name}`, name: a, state });
    });
  }
  // flows rewired every step: each running actor sends to a running actor on another node, chosen by the step
  const running = actors.filter((a) => a.state === 'running');
  const flows = [];
  running.forEach((a, i) => {
    const others = running.filter((b) => b.node !== a.node);
    if (others.length) {
      flows.push({
        from: a.id,
        to: others[(i * 7 + step * 3) % others.length].id,
        messagesPerSec: 5 + ((i + step) % 4) * 40,
      });
    }
  });
  return { nodes, actors, flows };
}

/** Starts the fake on 127.0.0.1 (ephemeral port): { url, polls(), close() }. */
export async function startChurnCollector() {
  let step = 0;
  let cursor = 0;
  const events = [];
  let prev = { nodes: [], actors: [] };
  const emit = (record) =>
    events.push({
      cursor: ++cursor,
      record: { v: 1, time: new Date().toISOString(), emitter: 'churn', seq: cursor, ...record },
    });
  const node = (name) => ({ id: `mesh:${name}`, kind: 'mesh-node', layer: 'mesh', name });
  const actor = (a) => ({
    id: a.id,
    kind: a.name === 'router' ? 'router' : 'worker',
    layer: 'mesh',
    name: a.name,
    node: a.node,
  });
  /** The events that take the previous world to this one. */
  const advance = (w) => {
    const before = new Map(prev.nodes.map((n) => [n.name, n.state]));
    for (const n of w.nodes) {
      const was = before.get(n.name);
      if (was === undefined) {
        emit({ type: 'node.joined', node: node(n.name) });
      } else if (was !== n.state) {
        emit({ type: n.state === 'failed' ? 'node.failed' : 'node.recovered', node: node(n.name) });
      }
    }
    for (const [name] of before) {
      if (!w.nodes.some((n) => n.name === name)) {
        emit({ type: 'node.left', node: node(name) });
      }
    }
    const was = new Map(prev.actors.map((a) => [a.id, a.state]));
    for (const a of w.actors) {
      const s = was.get(a.id);
      if (a.state === 'running' && s !== 'running') {
        emit({
          type: s === undefined ? 'actor.spawned' : 'actor.restarted',
          actor: actor(a),
          ...(s === undefined ? {} : { restartCount: 1 }),
        });
      }
      if (a.state === 'exited' && s === 'running') {
        emit({ type: 'actor.exited', actor: actor(a), reason: 'churn' });
      }
    }
    prev = w;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/v1/topology') {
      const w = world(step++);
      advance(w);
      const since = new Date().toISOString();
      res.end(
        JSON.stringify({
          v: 1,
          time: since,
          cursor,
          nodes: w.nodes.map((n) => ({ ...node(n.name), state: n.state, since })),
          actors: w.actors
            .filter((a) => a.state !== 'exited')
            .map((a) => ({ ...actor(a), state: a.state, restarts: 0, since })),
          flows: w.flows.map((f) => ({ ...f, messages: 1, bytes: 1 })),
          anomalies: {},
        })
      );
    } else if (url.pathname === '/v1/events') {
      const from = Number(url.searchParams.get('since') ?? 0);
      res.end(JSON.stringify({ cursor, events: events.filter((e) => e.cursor > from) }));
    } else {
      res.writeHead(404).end('{}');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    polls: () => step,
    close: () => new Promise((r) => server.close(r)),
  };
}
