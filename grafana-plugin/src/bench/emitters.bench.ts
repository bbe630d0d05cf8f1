// Figures for docs/scaling.md, not a test: queries per seek and seek time of the stored-data path at 1, 4 and 16
// collectors writing to one (fake) Loki, through the real loader and /api/ds/query. Run: npm run bench:emitters
// (in grafana-plugin/). Each seek uses a cold loader (no cache); the machine's load average is printed with them.
import { loadavg } from 'os';
import { generateMultiCollector } from '../fixtures/multiCollector';
import { pushRecords, startStoredBackends } from '../fixtures/storedBackends';
import { rng } from '../fixtures/random';
import { datasourceRunner } from '../data/query';
import { StoredDataLoader } from '../data/loader';
import { buildScene } from '../model/scene';
import { defaultOptions } from '../types';

jest.setTimeout(1_800_000);

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const SEEKS = 30;
const out = (line: string) => process.stdout.write(`${line}\n`);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

it.each([1, 4, 16])('%i collectors', async (collectors) => {
  const be = await startStoredBackends(NOW);
  try {
    // 6 h; each collector ~0.5 records/s and a keyframe every 10 min (the default)
    const h = generateMultiCollector({
      seed: collectors,
      now: NOW,
      durationMs: 6 * HOUR,
      keyframeMs: 600_000,
      ratePerSec: 0.5 * collectors,
      partBytes: 65_536,
      hosts: collectors - 1,
      churn: false,
    });
    await pushRecords(be.loki.url, h.records);
    const r = rng(7);
    const queries: number[] = [];
    const ms: number[] = [];
    const buildMs: number[] = [];
    for (let i = 0; i < SEEKS; i++) {
      const t = NOW - 5 * HOUR + Math.floor(r() * 5 * HOUR);
      const loader = new StoredDataLoader(datasourceRunner('loki'), {
        selector: '{service_name="hmx-collector"}',
        refId: 'events',
        windowMs: HOUR,
        now: () => NOW + HOUR,
      });
      const before = be.dsQueries.length;
      const t0 = performance.now();
      const w = await loader.load(t);
      const t1 = performance.now();
      buildScene(w.frames, defaultOptions, w.from, w.to).index.snapshotAt(t);
      ms.push(performance.now() - t0);
      buildMs.push(performance.now() - t1);
      queries.push(be.dsQueries.length - before);
    }
    const [l1, l5] = loadavg();
    out(
      `${collectors} collector(s): ${h.records.length} records in 6 h; per seek (cold, ${SEEKS} seeks): queries median ${pct(queries, 0.5)} max ${Math.max(...queries)}; ` +
        `first exact state median ${pct(ms, 0.5).toFixed(0)} ms p95 ${pct(ms, 0.95).toFixed(0)} ms (of which the panel's index build median ${pct(buildMs, 0.5).toFixed(0)} ms); ` +
        `load average ${l1.toFixed(2)} / ${l5.toFixed(2)}`
    );
  } finally {
    be.stop();
  }
});
