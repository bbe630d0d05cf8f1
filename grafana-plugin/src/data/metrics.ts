import { DataFrame } from '@grafana/data';
import { Cut } from './cuts';
import { QueryRefused, QueryRunner } from './query';
import { chooseStep } from './steps';

/** Prometheus refusals that a coarser step gets around: --query.max-samples (422) and 11,000 points (400). */
const TOO_FINE = /too many samples|exceeded maximum resolution/i;
const MAX_COARSENINGS = 6;

export interface SizedResult {
  frames: DataFrame[];
  stepMs: number;
  queries: number;
  cuts: Cut[];
}

/** A Prometheus range query over [from, to) at the finest "nice" step that gives at most `bins` points,
 * doubled while Prometheus refuses it for its sample or point limit; a coarser step than asked is said
 * in a cut with Prometheus' own message. */
export async function queryRangeSized(
  run: QueryRunner,
  expr: (stepMs: number) => string,
  from: number,
  to: number,
  bins: number,
  refId: string
): Promise<SizedResult> {
  const first = chooseStep(to - from, bins);
  let stepMs = first;
  let refusal = '';
  for (let attempt = 0; ; attempt++) {
    try {
      const rsp = await run(
        { refId, expr: expr(stepMs), range: true, instant: false, interval: `${stepMs}ms` },
        from,
        to
      );
      const cuts: Cut[] = refusal
        ? [{ from, to, problem: { kind: 'coarser-flow-step', stepMs, requestedMs: first, refusal } }]
        : [];
      return { frames: rsp.data.map((f: DataFrame) => ({ ...f, refId })), stepMs, queries: attempt + 1, cuts };
    } catch (e) {
      if (!(e instanceof QueryRefused) || !TOO_FINE.test(e.message) || attempt >= MAX_COARSENINGS) {
        throw e;
      }
      refusal = e.message;
      stepMs *= 2;
    }
  }
}
