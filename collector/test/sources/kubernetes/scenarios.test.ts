// Scenario files drive the fake API server step by step; after each step the exact lifecycle events (types, ids,
// times, reasons, counts) and the stated metric values must match, and nothing else may have been emitted.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { FakeApiServer, Resource } from './fake-apiserver.js';
import { byEntity, shape, sample, startHarness, type EventShape, type Harness } from './harness.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Step {
  add?: Resource;
  modify?: Resource;
  delete?: Resource;
  inject?: Resource;
  key?: string;
  object?: Obj;
  patch?: Obj;
  line?: string;
  event?: unknown;
  expire?: boolean;
  drop?: boolean;
  compact?: boolean;
  goneAsHttp?: boolean;
  gap?: Step[];
  expect?: EventShape[];
  metrics?: { metric: string; attributes: Record<string, string>; value: number }[];
  absent?: { metric: string; attributes: Record<string, string> }[];
}

interface Scenario {
  name: string;
  config?: Obj;
  initial: { nodes?: Obj[]; pods?: Obj[]; malformedPods?: Obj[] };
  expect: EventShape[];
  steps: Step[];
  counts?: { malformed?: Record<Resource, number>; relists?: Record<Resource, number> };
}

function apply(api: FakeApiServer, step: Step): void {
  if (step.add) api.add(step.add, step.object ?? {});
  else if (step.modify) api.modify(step.modify, step.key!, step.patch ?? {});
  else if (step.delete) api.remove(step.delete, step.key!, step.patch ?? {});
  else if (step.inject) api.inject(step.inject, step.line ?? JSON.stringify(step.event));
  else if (step.expire) api.expire(() => step.gap?.forEach((g) => apply(api, g)));
  else if (step.drop) {
    api.drop();
    step.gap?.forEach((g) => apply(api, g));
    api.goneAsHttp = step.goneAsHttp ?? false;
    if (step.compact) api.compact();
  } else throw new Error(`unknown step ${JSON.stringify(step)}`);
}

/** `time: now` in a scenario: the API never said when (a deletion missed during a gap), so it is the time seen. */
function resolveNow(actual: EventShape[], expected: EventShape[], from: number, to: number): EventShape[] {
  return actual.map((a) => {
    const wantsNow = expected.some((e) => e.time === 'now' && e.id === a.id && e.type === a.type);
    if (!wantsNow) return a;
    const at = Date.parse(a.time);
    assert.ok(at >= from && at <= to, `${a.type} ${a.id} at ${a.time} should be the time seen`);
    return { ...a, time: 'now' };
  });
}

async function checkMetrics(h: Harness, step: Step): Promise<void> {
  if (!step.metrics && !step.absent) return;
  const observations = await h.collect();
  for (const m of step.metrics ?? []) {
    assert.equal(sample(observations, m.metric, m.attributes).value, m.value, `${m.metric} ${JSON.stringify(m.attributes)}`);
  }
  for (const m of step.absent ?? []) {
    const found = observations.filter((o) => o.metric === m.metric && Object.entries(m.attributes).every(([k, v]) => o.attributes?.[k] === v));
    assert.deepEqual(found, [], `${m.metric} ${JSON.stringify(m.attributes)} should be absent`);
  }
}

const dir = new URL('./scenarios/', import.meta.url);
for (const file of readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort()) {
  const scenario = parse(readFileSync(new URL(file, dir), 'utf8'), { merge: true }) as Scenario;
  test(`scenario ${file}: ${scenario.name}`, async () => {
    const h = await startHarness((api) => {
      for (const n of scenario.initial.nodes ?? []) api.add('nodes', n);
      for (const p of scenario.initial.pods ?? []) api.add('pods', p);
      for (const p of scenario.initial.malformedPods ?? []) api.add('pods', p);
    }, scenario.config);
    try {
      await h.settle();
      let seen = 0;
      const check = (label: string, expected: EventShape[], from: number, to: number) => {
        const fresh = h.ctx.records.slice(seen).map(shape);
        seen = h.ctx.records.length;
        assert.deepEqual(byEntity(resolveNow(fresh, expected, from, to)), byEntity(expected), `events after ${label}`);
      };
      check('initial sync', scenario.expect, 0, Date.now());
      for (const [i, step] of scenario.steps.entries()) {
        const from = Date.now();
        apply(h.api, step);
        await h.settle();
        check(`step ${i + 1} ${JSON.stringify(step).slice(0, 120)}`, step.expect ?? [], from, Date.now());
        await checkMetrics(h, step);
      }
      const state = h.source.watchState();
      for (const r of ['nodes', 'pods'] as const) {
        if (scenario.counts?.malformed) assert.equal(state[r].malformed, scenario.counts.malformed[r], `malformed ${r}`);
        if (scenario.counts?.relists) assert.equal(state[r].relists, scenario.counts.relists[r], `relists ${r}`);
      }
      assert.deepEqual(h.ctx.invalid, [], 'every emitted record satisfies the contract');
      const seqs = h.ctx.records.map((r) => r.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        'seq increases',
      );
    } finally {
      await h.close();
    }
  });
}
