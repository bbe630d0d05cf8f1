// The shared backoff: equal jitter within [ceiling/2, ceiling), the ceiling doubling per retry up to the cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '@harmonix/delivery';
import { rng } from '../../src/core/random.js';

const policy = { baseMs: 100, maxMs: 1000 };
const highest = () => 1 - Number.EPSILON;

test('the ceiling doubles per retry from the base', () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((a) => Math.round(backoffDelay(a, policy, highest))),
    [100, 200, 400, 800],
  );
});

test('the cap bounds every wait, however many retries', () => {
  for (const attempt of [4, 10, 64, 5000]) assert.ok(backoffDelay(attempt, policy, highest) <= policy.maxMs, `attempt ${attempt}`);
  assert.equal(
    backoffDelay(5000, policy, () => 0),
    500,
    'half the cap at the lowest draw',
  );
  assert.equal(
    backoffDelay(5000, { baseMs: 0, maxMs: 1000 }, () => 0.5),
    0,
    'a zero base stays zero, never NaN',
  );
});

test('equal jitter: the wait is uniform in [ceiling/2, ceiling) — never below half the step', () => {
  assert.equal(
    backoffDelay(2, policy, () => 0),
    200,
  );
  assert.equal(
    backoffDelay(2, policy, () => 0.5),
    300,
  );
  const random = rng(7);
  const draws = Array.from({ length: 2000 }, () => backoffDelay(2, policy, random));
  assert.ok(
    draws.every((d) => d >= 200 && d < 400),
    'within [200, 400)',
  );
  assert.ok(Math.min(...draws) < 220 && Math.max(...draws) > 380, 'spread over the whole range');
});

test('a negative attempt is treated as the first retry', () => {
  assert.equal(
    backoffDelay(-3, policy, () => 0),
    50,
  );
});
