// Flow rates per window from a real Prometheus (backfilled with promtool) through the fake /api/ds/query
// and the real DataSourceWithBackend: the step comes from the window, and when Prometheus refuses it for
// --query.max-samples the step is doubled and the canvas is told so, with Prometheus' own message.
import { startBackfilledPrometheus, startStoredBackends, Backend, StoredBackends } from '../fixtures/storedBackends';
import { datasourceRunner } from './query';
import { queryRangeSized } from './metrics';
import { flowsExpr } from './exprs';
import { chooseStep, MAX_POINTS, PROMETHEUS_MAX_SAMPLES } from './steps';
import { loadWindow } from './window';
import { FieldType } from '@grafana/data';
import { formatProblem } from '../model/problems';

jest.setTimeout(90_000);

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const EDGES = 50;

/** OpenMetrics for `promtool tsdb create-blocks-from openmetrics`: edge e sends e + 1 messages/s, scraped every 15 s. */
function history(from: number, to: number): string {
  const out = ['# TYPE hmx_flow_messages counter'];
  for (let e = 0; e < EDGES; e++) {
    const labels = `hmx_source_actor_id="mesh:n0/a${e}",hmx_destination_actor_id="mesh:n1/a${e}",hmx_source_node_id="mesh:n0",hmx_destination_node_id="mesh:n1"`;
    for (let t = from; t <= to; t += 15_000) {
      out.push(`hmx_flow_messages_total{${labels}} ${((t - from) / 1000) * (e + 1)} ${t / 1000}`);
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

describe('flow rates from a real Prometheus', () => {
  let prom: Backend;
  let be: StoredBackends;
  beforeAll(async () => {
    // a small max-samples so that the finest step for the window is refused
    prom = await startBackfilledPrometheus(history(NOW - 3 * HOUR, NOW), ['--query.max-samples=20000']);
    be = await startStoredBackends(NOW, 'loki', { uid: 'prometheus', url: prom.url });
  });
  afterAll(() => {
    be?.stop();
    prom?.stop();
  });

  it('doubles the step while Prometheus refuses it for max-samples, says so, and returns the true rates', async () => {
    const from = NOW - HOUR;
    const got = await queryRangeSized(datasourceRunner('prometheus'), flowsExpr, from, NOW, 1000, 'flows');
    expect(got.queries).toBeGreaterThan(1);
    expect(got.stepMs).toBeGreaterThan(chooseStep(HOUR, 1000));
    expect(got.cuts).toHaveLength(1);
    expect(formatProblem(got.cuts[0].problem)).toMatch(
      /^flow rates at a \d+ s step instead of 5 s: Prometheus refused the finer one \(.*too many samples.*\)$/
    );
    expect(got.frames).toHaveLength(EDGES);
    for (const f of got.frames) {
      const value = f.fields.find((x) => x.type === FieldType.number)!;
      const e = Number(/a(\d+)$/.exec(value.labels!.hmx_source_actor_id)![1]);
      const mid = value.values[Math.floor(value.values.length / 2)];
      expect(mid).toBeCloseTo(e + 1, 6);
    }
  });

  it('a window carries flow frames the panel maps as rates, next to the Loki records', async () => {
    const w = await loadWindow(datasourceRunner('loki'), NOW - HOUR, NOW, {
      selector: '{service_name="hmx-collector"}',
      refId: 'events',
      flows: { run: datasourceRunner('prometheus'), refId: 'flows', bins: 240 },
    });
    const flows = w.frames.filter((f) => f.refId === 'flows');
    expect(flows).toHaveLength(EDGES);
    // shown (perhaps at a coarser step, which would be said), never dropped
    expect(w.cuts.filter((c) => c.problem.kind === 'flows-not-shown')).toEqual([]);
    expect(w.stats.queries).toBeGreaterThanOrEqual(3);
  });

  it('chooses steps under 11,000 points and 50M samples for any range and series count', () => {
    for (const [range, bins, series] of [
      [7 * 24 * HOUR, 1_000_000, 1],
      [7 * 24 * HOUR, 2000, 45_000],
      [HOUR, 1000, 10_000_000],
      [30 * 24 * HOUR, 11_000, 100],
    ]) {
      const step = chooseStep(range, bins, series);
      const points = Math.ceil(range / step);
      expect(points).toBeLessThanOrEqual(Math.min(MAX_POINTS, bins));
      expect(points * series).toBeLessThanOrEqual(PROMETHEUS_MAX_SAMPLES);
    }
  });
});
