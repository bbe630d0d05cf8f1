// A real SourceContext for source tests: records what a source emits and fails loudly on contract violations.
import { validateRecord } from '../../src/contract/validate.js';
import type { ContractRecord } from '../../src/contract/events.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Frame, SourceContext } from '../../src/core/source.js';
import type { Observation } from '../../src/core/observation.js';

export interface TestContext extends SourceContext {
  /** Valid contract records emitted so far, in order. */
  records: ContractRecord[];
  /** Observations pushed through emit (collect() results are returned to the caller directly). */
  pushed: Observation[];
  /** Every frame pushed through emit, in order. */
  frames: Frame[];
  /** Records that failed the contract schema (a test should normally expect none). */
  invalid: { record: unknown; errors: unknown }[];
  /** Resolves once `count` records have been emitted in total. */
  waitForRecords(count: number, timeoutMs?: number): Promise<ContractRecord[]>;
}

export function createTestContext(opts: { emitter?: string; hostNodeId?: string } = {}): TestContext {
  let seq = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const ctx: TestContext = {
    logger: silentLogger(),
    emitter: opts.emitter ?? 'test-emitter',
    hostNodeId: opts.hostNodeId ?? 'host:test-host',
    nextSeq: () => ++seq,
    records: [],
    pushed: [],
    frames: [],
    invalid: [],
    emit(frame: Frame) {
      ctx.frames.push(frame);
      for (const record of frame.records ?? []) {
        const result = validateRecord(record);
        if (result.ok) ctx.records.push(result.value);
        else ctx.invalid.push({ record, errors: result.errors });
      }
      ctx.pushed.push(...(frame.observations ?? []));
      for (const w of [...waiters]) {
        if (ctx.records.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    waitForRecords(count, timeoutMs = 10000) {
      if (ctx.records.length >= count) return Promise.resolve(ctx.records);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${count} records; got ${ctx.records.length}: ${JSON.stringify(ctx.records.map((r) => r.type))}`)),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(ctx.records)) });
      });
    },
  };
  return ctx;
}
