import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowRates } from '../../src/topology/rates.js';

test('flow rates: messages per second over the last 10 s; edges quiet for a whole window are forgotten', () => {
  const rates = new FlowRates();
  const t0 = 1_000_000;
  rates.add('a', 'b', t0, 50);
  rates.add('a', 'b', t0 + 5_000, 30);
  assert.equal(rates.rate('a', 'b', t0 + 5_000), 8);
  assert.equal(rates.rate('a', 'b', t0 + 12_000), 3);
  // Many short-lived edges (actors that came and went), then only one edge keeps talking.
  for (let i = 0; i < 1_000; i++) rates.add(`x${i}`, `y${i}`, t0 + 6_000 + i, 1);
  assert.equal(rates.size, 1_001);
  for (let s = 1; s <= 3; s++) rates.add('a', 'b', t0 + 10_000 * s + 7_000, 10);
  assert.equal(rates.size, 1);
  assert.equal(rates.rate('a', 'b', t0 + 37_000), 2);
  assert.equal(rates.rate('x1', 'y1', t0 + 37_000), 0);
});
