import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sourceUp } from '../../src/core/health.js';
import { SourceRunner } from '../../src/core/scheduler.js';
import type { Frame, Source, SourceSchedule } from '../../src/core/source.js';
import { createTestContext } from '../support/context.js';
import { FakeClock, settle } from '../support/fake-clock.js';

const schedule: SourceSchedule = {
  intervalMs: 10_000,
  timeoutMs: 2_000,
  retries: 3,
  backoffBaseMs: 100,
  backoffMaxMs: 1_000,
  circuitThreshold: 2,
  circuitCooldownMs: 60_000,
};

/** A source whose collect() follows a script: 'ok', 'fail' or 'hang' per call. */
function scripted(script: ('ok' | 'fail' | 'hang')[]): Source & { calls: number } {
  const source = {
    name: 'scripted',
    layer: 'os' as const,
    metrics: [],
    calls: 0,
    collect(): Promise<Frame> {
      const step = script[Math.min(source.calls, script.length - 1)];
      source.calls++;
      if (step === 'ok') return Promise.resolve({ observations: [] });
      if (step === 'fail') return Promise.reject(Object.assign(new Error('boom'), { code: 'ECONNREFUSED' }));
      return new Promise(() => undefined);
    },
  };
  return source;
}

function runner(source: Source, clock: FakeClock, frames: Frame[] = [], attempts: string[] = []) {
  return new SourceRunner(
    source,
    schedule,
    createTestContext(),
    {
      onFrame: (_s, f) => frames.push(f),
      onAttempt: (_s, ok, _sec, reason) => attempts.push(ok ? 'ok' : `fail:${reason}`),
    },
    clock,
    () => 0.5,
  );
}

test('a failing attempt is retried up to 3 times, then the cycle fails with the reason recorded', async () => {
  const clock = new FakeClock();
  const attempts: string[] = [];
  const source = scripted(['fail']);
  const r = runner(source, clock, [], attempts);
  const cycle = r.cycle(new AbortController().signal);
  await clock.advance(10_000);
  assert.equal(await cycle, false);
  assert.equal(source.calls, 4, 'one attempt plus three retries');
  assert.deepEqual(attempts, ['fail:econnrefused', 'fail:econnrefused', 'fail:econnrefused', 'fail:econnrefused']);
  assert.equal(r.health.state, 'failing');
  assert.equal(r.health.lastError?.reason, 'econnrefused');
  // Backoff between retries: 0.75 × 100, 200, 400 with jitter 0.5.
  assert.deepEqual(
    clock.sleeps.filter((ms) => ms !== schedule.timeoutMs),
    [75, 150, 300],
  );
});

test('a retry that succeeds makes the cycle succeed and resets the failure count', async () => {
  const clock = new FakeClock();
  const frames: Frame[] = [];
  const source = scripted(['fail', 'fail', 'ok']);
  const r = runner(source, clock, frames);
  const cycle = r.cycle(new AbortController().signal);
  await clock.advance(5_000);
  assert.equal(await cycle, true);
  assert.equal(frames.length, 1);
  assert.equal(r.health.state, 'ok');
  assert.equal(r.health.consecutiveFailures, 0);
  assert.ok(r.health.lastSuccess);
});

test('a hanging collection times out instead of stalling the loop', async () => {
  const clock = new FakeClock();
  const attempts: string[] = [];
  const source = scripted(['hang', 'ok']);
  const r = runner(source, clock, [], attempts);
  const cycle = r.cycle(new AbortController().signal);
  await clock.advance(schedule.timeoutMs + 1_000);
  assert.equal(await cycle, true);
  assert.deepEqual(attempts, ['fail:timeout', 'ok']);
});

test('the circuit opens after repeated failed cycles and lets one trial through after the cooldown', async () => {
  const clock = new FakeClock();
  const source = scripted(['fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'ok']);
  const r = runner(source, clock);
  const abort = new AbortController();
  const loop = r.run(abort.signal);
  await clock.advance(15_000); // cycle 1 fails (4 calls), then the interval passes
  await clock.advance(15_000); // cycle 2 fails → threshold 2 → circuit open
  assert.equal(r.health.state, 'circuit_open');
  const callsWhenOpened = source.calls;
  assert.equal(callsWhenOpened, 8);
  await clock.advance(30_000); // still inside the cooldown: no calls
  assert.equal(source.calls, callsWhenOpened);
  await clock.advance(40_000); // cooldown over: one trial, which succeeds
  assert.equal(r.health.state, 'ok');
  abort.abort();
  await clock.advance(1);
  await loop;
  assert.equal(r.health.state, 'stopped');
});

test('two runners are independent: a hanging source does not delay another', async () => {
  const clock = new FakeClock();
  const slow = scripted(['hang']);
  const fastFrames: Frame[] = [];
  const fast = scripted(['ok']);
  const abort = new AbortController();
  const loops = [runner(slow, clock).run(abort.signal), runner(fast, clock, fastFrames).run(abort.signal)];
  await clock.advance(35_000);
  assert.ok(fastFrames.length >= 4, `fast source kept its cadence (${fastFrames.length} frames)`);
  abort.abort();
  await settle();
  await Promise.all(loops);
});

test('source up follows the latest attempt: 0 while retrying after a failure, 1 again after the next success', async () => {
  const clock = new FakeClock();
  const source = scripted(['ok', 'fail', 'ok']);
  const r = runner(source, clock);
  const abort = new AbortController();
  const loop = r.run(abort.signal);
  await settle();
  assert.equal(sourceUp(r.health.state), 1, 'first cycle succeeded');
  await clock.advance(schedule.intervalMs); // second cycle: its first attempt fails, the runner backs off
  assert.equal(source.calls, 2);
  assert.equal(r.health.state, 'retrying');
  assert.equal(sourceUp(r.health.state), 0, 'a source retrying after econnrefused is not up');
  await clock.advance(schedule.backoffMaxMs); // the retry succeeds
  assert.equal(source.calls, 3);
  assert.equal(sourceUp(r.health.state), 1);
  abort.abort();
  await clock.advance(1);
  await loop;
});

test('a half-open trial is one attempt: failure reopens the circuit, success closes it at once', async () => {
  const clock = new FakeClock();
  const source = scripted([...Array<'fail'>(8).fill('fail'), 'fail', 'ok']);
  const r = runner(source, clock);
  const abort = new AbortController();
  const loop = r.run(abort.signal);
  await clock.advance(30_000); // two failed cycles of 4 attempts each → circuit open
  assert.equal(r.health.state, 'circuit_open');
  assert.equal(source.calls, 8);
  await clock.advance(schedule.circuitCooldownMs); // the trial fails: no retries, open again
  assert.equal(source.calls, 9, 'exactly one trial attempt');
  assert.equal(r.health.state, 'circuit_open');
  assert.equal(sourceUp(r.health.state), 0);
  await clock.advance(schedule.circuitCooldownMs / 2);
  assert.equal(source.calls, 9, 'no attempt inside the new cooldown');
  await clock.advance(schedule.circuitCooldownMs / 2); // the next trial succeeds
  assert.ok(source.calls >= 10);
  assert.equal(r.health.state, 'ok', 'closed by the successful trial itself');
  assert.equal(r.health.consecutiveFailures, 0);
  abort.abort();
  await clock.advance(1);
  await loop;
});

test('data pushed while the circuit is open brings the half-open trial forward (at most once per backoffMaxMs)', async () => {
  const clock = new FakeClock();
  const source = scripted([...Array<'fail'>(9).fill('fail'), 'ok']);
  const r = runner(source, clock);
  const abort = new AbortController();
  const loop = r.run(abort.signal);
  await clock.advance(30_000); // circuit open after two failed cycles
  assert.equal(r.health.state, 'circuit_open');
  assert.equal(source.calls, 8);
  r.wake(); // records arrived: the trial runs now, long before the cooldown ends — and fails
  await settle();
  assert.equal(source.calls, 9);
  assert.equal(r.health.state, 'circuit_open');
  r.wake(); // within backoffMaxMs of that attempt: ignored
  await settle();
  assert.equal(source.calls, 9);
  await clock.advance(schedule.backoffMaxMs);
  r.wake(); // the next early trial succeeds and closes the circuit
  await settle();
  assert.equal(source.calls, 10);
  assert.equal(r.health.state, 'ok');
  abort.abort();
  await clock.advance(1);
  await loop;
});
