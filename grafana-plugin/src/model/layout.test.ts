import { ActorEntity, NodeEntity } from './contract';
import { GEOMETRY, HitIndex, computeLayout } from './layout';
import { TimelineIndex } from './timeline';
import { STATUS } from './ops';
import { rng } from '../fixtures/random';

const node = (id: string, layer = 'hardware'): NodeEntity => ({ id, kind: 'host', layer, name: id });
const actor = (id: string, n: string): ActorEntity => ({ id, kind: 'w', layer: 'harmonix', name: id, node: n });

function world(nNodes: number, nActors: number, seed = 1) {
  const r = rng(seed);
  const nodes = Array.from({ length: nNodes }, (_, i) => node(`node-${i}`, i % 2 ? 'os' : 'hardware'));
  const actors = Array.from({ length: nActors }, (_, i) => actor(`actor-${i}`, `node-${Math.floor(r() * nNodes)}`));
  return { nodes, actors };
}

describe('computeLayout', () => {
  it('is deterministic and independent of input order', () => {
    const { nodes, actors } = world(7, 60);
    const a = computeLayout(nodes, actors);
    const b = computeLayout([...nodes].reverse(), [...actors].reverse());
    expect([...b.actors.entries()].sort()).toEqual([...a.actors.entries()].sort());
    expect([...b.nodes.entries()].sort()).toEqual([...a.nodes.entries()].sort());
  });

  it('places actors inside their node region without overlap', () => {
    const { nodes, actors } = world(5, 80);
    const l = computeLayout(nodes, actors);
    const seen = new Set<string>();
    for (const a of l.actors.values()) {
      const box = l.nodes.get(a.node)!;
      expect(a.x).toBeGreaterThan(box.x);
      expect(a.x).toBeLessThan(box.x + box.w);
      expect(a.y).toBeGreaterThan(box.y);
      expect(a.y).toBeLessThan(box.y + box.h);
      const key = `${a.x},${a.y}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('adding an actor or a node does not move any existing entity', () => {
    const { nodes, actors } = world(6, 40);
    const before = computeLayout(nodes, actors);
    const after = computeLayout(
      [...nodes, node('node-new')],
      [...actors, actor('actor-new', 'node-2'), actor('aaa-first', 'node-0')],
      before
    );
    for (const [id, p] of before.actors) {
      expect(after.actors.get(id)).toEqual(p);
    }
    for (const [id, b] of before.nodes) {
      expect(after.nodes.get(id)).toEqual(b);
    }
    const fresh = after.actors.get('actor-new')!;
    expect([...before.actors.values()].some((p) => p.x === fresh.x && p.y === fresh.y)).toBe(false);
  });

  it('an entity has the same position at every t where it exists during replay', () => {
    // positions come from the set of all entities in the range, so replaying cannot move them
    const events = [];
    for (let i = 0; i < 30; i++) {
      events.push({
        type: 'actor.spawned' as const,
        time: i * 1000,
        emitter: 'e',
        seq: i,
        actor: actor(`a${i}`, `n${i % 3}`),
      });
      if (i % 4 === 0) {
        events.push({
          type: 'actor.exited' as const,
          time: i * 1000 + 500,
          emitter: 'e',
          seq: 100 + i,
          actor: actor(`a${i}`, `n${i % 3}`),
        });
      }
    }
    const index = TimelineIndex.of({ events });
    const l = computeLayout(index.registry.nodes(), index.registry.actors());
    const positions = new Map<string, string>();
    for (let t = 0; t < 31_000; t += 250) {
      const s = index.stateAt(t);
      const l2 = computeLayout(index.registry.nodes(), index.registry.actors(), l);
      for (let i = 0; i < index.registry.size; i++) {
        if (index.registry.kinds[i] !== 'actor' || s.status[i] === STATUS.ABSENT) {
          continue;
        }
        const id = index.registry.info[i].id;
        const p = JSON.stringify(l2.actors.get(id));
        expect(positions.get(id) ?? p).toBe(p);
        positions.set(id, p);
      }
    }
    expect(positions.size).toBe(30);
  });

  it('creates regions for nodes only referenced by actors', () => {
    const l = computeLayout([], [actor('a', 'ghost-node')]);
    expect(l.nodes.has('ghost-node')).toBe(true);
  });
});

describe('HitIndex', () => {
  it('finds the actor and node under a point and nothing in gaps', () => {
    const { nodes, actors } = world(9, 120, 4);
    const l = computeLayout(nodes, actors);
    const hit = new HitIndex(l);
    for (const a of l.actors.values()) {
      expect(hit.at(a.x, a.y)).toEqual({ node: a.node, actor: a.id });
    }
    const b = [...l.nodes.values()][0];
    expect(hit.at(b.x + 2, b.y + 2)).toEqual({ node: b.id });
    expect(hit.at(b.x + b.w + GEOMETRY.nodeGap / 2, b.y + 5)).toEqual({});
    expect(hit.at(-5, -5)).toEqual({});
  });
});
