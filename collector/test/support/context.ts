// A real SourceContext for source tests: records what a source emits and fails loudly on contract violations.
import { type ContractRecord, validateRecord } from '@harmonix/contract';
import { silentLogger } from '../../src/core/logger.js';
import type { Frame, SourceContext } from '../../src/core/source.js';
import type { Observation } from '../../src/core/observation.js';
import { normaliseFrame } from '../../src/core/normalise.js';
import type { LogSignal, TraceSignal } from '../../src/core/signals.js';

export interface TestContext extends SourceContext {
  /** Valid contract records emitted so far, in order. */
  records: ContractRecord[];
  /** Observations pushed through emit (collect() results are returned to the caller directly). */
  pushed: Observation[];
  /** Every frame pushed through emit, in order. */
  frames: Frame[];
  /** Log records and traces that passed the pipeline's checks, in order. */
  logs: LogSignal[];
  traces: TraceSignal[];
  /** Records, log records or traces that failed their schema (a test should normally expect none). */
  invalid: { record: unknown; errors: unknown }[];
  /** Resolves once `count` records have been emitted in total. */
  waitForRecords(count: number, timeoutMs?: number): Promise<ContractRecord[]>;
  /** Resolves once `count` log records have been emitted in total. */
  waitForLogs(count: number, timeoutMs?: number): Promise<LogSignal[]>;
}

export function createTestContext(opts: { emitter?: string; hostNodeId?: string } = {}): TestContext {
  let seq = 0;
  const waiters: { ready: () => boolean; resolve: () => void }[] = [];
  const waitFor = <T>(what: string, items: () => T[], count: number, timeoutMs: number): Promise<T[]> => {
    if (items().length >= count) return Promise.resolve(items());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${count} ${what}; got ${items().length}: ${JSON.stringify(items()).slice(0, 500)}`)),
        timeoutMs,
      );
      waiters.push({ ready: () => items().length >= count, resolve: () => (clearTimeout(timer), resolve(items())) });
    });
  };
  const ctx: TestContext = {
    logger: silentLogger(),
    emitter: opts.emitter ?? 'test-emitter',
    hostNodeId: opts.hostNodeId ?? 'host:test-host',
    nextSeq: () => ++seq,
    records: [],
    pushed: [],
    frames: [],
    logs: [],
    traces: [],
    invalid: [],
    emit(frame: Frame) {
      ctx.frames.push(frame);
      for (const record of frame.records ?? []) {
        const result = validateRecord(record);
        if (result.ok) ctx.records.push(result.value);
        else ctx.invalid.push({ record, errors: result.errors });
      }
      ctx.pushed.push(...(frame.observations ?? []));
      const signals = normaliseFrame({ logs: frame.logs, traces: frame.traces }, new Map());
      ctx.logs.push(...signals.logs);
      ctx.traces.push(...signals.traces);
      for (const d of signals.dropped) ctx.invalid.push({ record: 'log or trace', errors: d.detail });
      for (const w of [...waiters]) {
        if (w.ready()) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    waitForRecords: (count, timeoutMs = 10000) => waitFor('records', () => ctx.records, count, timeoutMs),
    waitForLogs: (count, timeoutMs = 10000) => waitFor('log records', () => ctx.logs, count, timeoutMs),
  };
  return ctx;
}
