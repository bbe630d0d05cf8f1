import { FieldType } from '@grafana/data';
import { Cut } from './cuts';
import { densityExpr } from './exprs';
import { QueryRefused, QueryRunner } from './query';
import { LOKI_MAX_QUERY_MS, chooseStep, splitRange } from './steps';

export interface Density {
  from: number;
  to: number;
  bins: Float64Array;
  cuts: Cut[];
  queries: number;
}

/** Lifecycle records per bin over the whole range from a Loki metric query (count_over_time at a step
 * chosen from the range), never from raw lines. A refused piece leaves its bins empty and is a cut. */
export async function loadDensity(
  run: QueryRunner,
  selector: string,
  from: number,
  to: number,
  binCount: number
): Promise<Density> {
  const stepMs = chooseStep(to - from, binCount);
  const bins = new Float64Array(Math.max(1, binCount));
  const span = Math.max(1, to - from);
  const cuts: Cut[] = [];
  let queries = 0;
  for (const [a, b] of splitRange(from, to, LOKI_MAX_QUERY_MS)) {
    queries++;
    try {
      // Loki evaluates at start, start + step, … and a point at t counts (t - step, t]: starting one step in,
      // the points cover (a, b] exactly
      const rsp = await run(
        { refId: 'hmx-density', expr: densityExpr(selector, stepMs), queryType: 'range', step: `${stepMs}ms` },
        Math.min(b, a + stepMs),
        b
      );
      for (const frame of rsp.data) {
        const time = frame.fields.find((f: { type: FieldType }) => f.type === FieldType.time);
        const value = frame.fields.find((f: { type: FieldType }) => f.type === FieldType.number);
        for (let i = 0; time && value && i < frame.length; i++) {
          const t = Number(time.values[i]) - stepMs / 2;
          const k = Math.floor(((t - from) / span) * bins.length);
          const v = Number(value.values[i]);
          if (k >= 0 && k < bins.length && Number.isFinite(v)) {
            bins[k] += v;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof QueryRefused)) {
        throw e;
      }
      cuts.push({ from: a, to: b, problem: { kind: 'density-not-shown', error: e.message } });
    }
  }
  return { from, to, bins, cuts, queries };
}
