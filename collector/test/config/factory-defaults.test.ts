// A source is defined in one place: whether it is on without configuration and its own cadence come from its
// factory, not from lists in the config loader.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { buildConfig } from '../../src/config/load.js';
import type { AnySourceFactory } from '../../src/core/source.js';

const factory = (name: string, extra: Partial<AnySourceFactory>): AnySourceFactory => ({
  name,
  layer: 'os',
  configSchema: Type.Object({}, { additionalProperties: false }),
  defaults: {},
  create: () => ({ name, layer: 'os', metrics: [], collect: async () => ({}) }),
  ...extra,
});
const always = factory('always', { enabledByDefault: true, defaultInterval: '7s' });
const plain = factory('plain', { enabledByDefault: true });
const optIn = factory('opt-in', {});
const build = (...layers: object[]) => buildConfig(layers as Record<string, unknown>[], [always, plain, optIn]);
const intervals = (c: ReturnType<typeof build>) => Object.fromEntries(c.sources.map((s) => [s.factory.name, s.schedule.intervalMs]));

test('sources on by default run with their own interval, others with the global one; an opt-in source only when configured', () => {
  assert.deepEqual(intervals(build()), { always: 7_000, plain: 10_000 });
  assert.deepEqual(intervals(build({ interval: '2s' })), { always: 7_000, plain: 2_000 }, 'the global interval does not override a source default');
  assert.deepEqual(intervals(build({ sources: { 'opt-in': {} } })), { always: 7_000, plain: 10_000 }, 'named but not enabled: still off');
  assert.deepEqual(intervals(build({ sources: { 'opt-in': { enabled: true }, always: { enabled: false } } })), { plain: 10_000, 'opt-in': 10_000 });
  assert.deepEqual(intervals(build({ sources: { always: { interval: '1s' } } })), { always: 1_000, plain: 10_000 }, 'the configured interval wins');
});
