// Contract revision 1.2 through the stored-data path: several collectors write to one fake Loki (clocks skewed by
// ±5 s, one collector killed and restarted as a new incarnation, one killed for good, a demo node process killed),
// the panel's own loader reads windows through /api/ds/query, and state at random instants must equal the union of
// what each collector applied, folded by the collector's TopologyState (fixtures/multiCollector.ts).
import { generateMultiCollector, MultiHistory } from '../fixtures/multiCollector';
import { pushRecords, startStoredBackends, StoredBackends } from '../fixtures/storedBackends';
import { rng } from '../fixtures/random';
import { datasourceRunner } from './query';
import { StoredDataLoader } from './loader';
import { buildScene } from '../model/scene';
import { panelAt } from '../fixtures/panelEntries';
import { defaultOptions } from '../types';
import { formatProblem } from '../model/problems';

jest.setTimeout(120_000);

const NOW = 1_800_000_000_000; // injected "now": every fixture time is relative to it
const MIN = 60_000;
const SELECTOR = '{service_name="hmx-collector"}';

describe('many collectors, one picture (contract 1.2) through /api/ds/query', () => {
  let be: StoredBackends;
  let history: MultiHistory;

  beforeAll(async () => {
    be = await startStoredBackends(NOW);
    history = generateMultiCollector({
      seed: 18,
      now: NOW,
      durationMs: 120 * MIN,
      keyframeMs: 2 * MIN,
      ratePerSec: 1,
      partBytes: 2048,
    });
    await pushRecords(be.loki.url, history.records);
  });
  afterAll(() => be?.stop());

  it('state at random instants equals the union of what each collector applied', async () => {
    const loader = new StoredDataLoader(datasourceRunner('loki'), {
      selector: SELECTOR,
      refId: 'events',
      windowMs: 30 * MIN,
      now: () => NOW + MIN,
    });
    const r = rng(5);
    const seen = { unknownByStop: 0, afterH3Stop: 0 };
    const h3 = history.groups.find((g) => g.name.startsWith('collector@h3/'))!;
    for (let q = 0; q < 40; q++) {
      const t = NOW - 119 * MIN + Math.floor(r() * 119 * MIN);
      const w = await loader.load(t);
      const scene = buildScene(w.frames, defaultOptions, w.from, w.to);
      const truth = history.truthAt(t);
      expect([t, panelAt(scene.index, t)]).toEqual([t, truth]);
      seen.unknownByStop += [...truth].filter(
        ([k, v]) => v.status === 'unknown' && /^(node:|actor:)(mesh:h2-n2|host:h3|mesh:h3|sdk:h3)/.test(k)
      ).length;
      if (t >= h3.heard + 3 * 2 * MIN) {
        // said in words, as the other cuts are
        expect(
          scene.mapped.problems
            .map(formatProblem)
            .some((p) =>
              p.startsWith(
                `${h3.name} not heard since ${new Date(h3.heard).toISOString()} (3 keyframe intervals of 120 s): its `
              )
            )
        ).toBe(true);
        seen.afterH3Stop++;
      }
    }
    // the instants cover the stopped collectors (else the test proves nothing about them)
    expect(seen.unknownByStop).toBeGreaterThan(0);
    expect(seen.afterH3Stop).toBeGreaterThan(0);
  });
});
