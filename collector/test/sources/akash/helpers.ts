// Shared test helpers for the akash source: config, observation look-up, and a market fixture.
import assert from 'node:assert/strict';
import type { Observation } from '../../../src/core/observation.js';
import type { Frame, Source } from '../../../src/core/source.js';
import type { TestContext } from '../../support/context.js';
import { akashDefaults, type AkashConfig } from '../../../src/sources/akash/config.js';
import { akashMetrics } from '../../../src/sources/akash/metrics.js';
import type { FakeComet } from './fake-comet.js';

export const PROVIDER = 'akash1' + 'p'.repeat(38);
export const TENANT = 'akash1' + 't'.repeat(38);
export const OTHER = 'akash1' + 'x'.repeat(38);

export function config(overrides: Partial<AkashConfig>): AkashConfig {
  return { ...akashDefaults, provider: PROVIDER, ...overrides };
}

/**
 * One collection as the scheduler runs it, then the reads it started left to finish (they outlive collect()):
 * the view the source pushed once they ended, or the collection's own when no read ran.
 */
export async function collectSettled(source: Source, ctx: TestContext, signal: AbortSignal): Promise<Frame> {
  const frame = await source.collect(ctx, signal);
  const pushesBefore = ctx.frames.length;
  await source.idle?.();
  await new Promise((resolve) => setImmediate(resolve));
  const pushed = ctx.frames.slice(pushesBefore).findLast((f) => f.observations !== undefined);
  return pushed ?? frame;
}

/** The value of the one sample of `metric` whose attributes include `attrs` (fails if none or several). */
export function value(observations: Observation[], metric: string, attrs: Record<string, string | number> = {}): number {
  const found = observations.filter((o) => o.metric === metric && Object.entries(attrs).every(([k, v]) => o.attributes?.[k] === v));
  assert.equal(found.length, 1, `expected one ${metric} ${JSON.stringify(attrs)}, found ${found.length}`);
  return found[0]!.value;
}

/** Every sample names a declared metric and only declared attributes (what the core's normaliser checks). */
export function assertDeclared(observations: Observation[]): void {
  const declared = new Map<string, readonly string[]>(akashMetrics.map((m) => [m.name, m.attributes]));
  for (const o of observations) {
    const attrs = declared.get(o.metric);
    assert.ok(attrs, `undeclared metric ${o.metric}`);
    for (const key of Object.keys(o.attributes ?? {})) assert.ok(attrs.includes(key), `undeclared attribute ${o.metric}:${key}`);
    assert.ok(Number.isFinite(o.value), `${o.metric} is not finite`);
  }
}

/** Height 100: lease 10 active (its bid won earlier), bids on orders 20 and 30 open, one old closed lease, two open orders. */
export function seedMarket(chain: FakeComet): void {
  const id = (dseq: number, owner = TENANT) => ({ owner, dseq, gseq: 1, oseq: 1, provider: PROVIDER, bseq: 0 });
  chain.leases = [
    { ...id(10), state: 'active', createdAt: 90, closedOn: 0, reason: 'lease_closed_invalid', price: '1500000000000000000' },
    { ...id(5), state: 'closed', createdAt: 40, closedOn: 60, reason: 'lease_closed_owner', price: '1000000000000000000' },
  ];
  chain.bids = [
    { ...id(10), state: 'active', createdAt: 89, price: '1500000000000000000' },
    { ...id(20), state: 'open', createdAt: 99, price: '2250000000000000000' },
    { ...id(30, OTHER), state: 'open', createdAt: 99, price: '3000000000000000000' },
  ];
  chain.orders = [
    { owner: TENANT, dseq: 20, gseq: 1, oseq: 1, state: 'open' },
    { owner: OTHER, dseq: 30, gseq: 1, oseq: 1, state: 'open' },
    { owner: TENANT, dseq: 10, gseq: 1, oseq: 1, state: 'active' },
  ];
}
