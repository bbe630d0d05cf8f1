// Contract revision 1.2 with real processes: four hmx-collectors (each with its flight recorder) export through one
// real OTel Collector into the fake Loki (test/pipeline/fixtures/multi-collector.ts: a demo mesh, SDK records with
// skewed clocks, a demo node process and one collector SIGKILLed, that collector restarted). The panel's own loader
// reads Loki through /api/ds/query; at seeded instants its state must equal the union of what each collector's flight
// recorder holds (read with the archive reader `hmx-collector replay` uses), folded by the collector's TopologyState.
import type { ContractRecord, Keyframe } from '../../../contract/src/events';
import { replayArchive } from '../../../collector/src/recorder/replay';
import { installRuntime, startScript } from '../fixtures/storedBackends';
import { rng } from '../fixtures/random';
import { unionAt } from '../fixtures/union';
import { datasourceRunner } from './query';
import { StoredDataLoader } from './loader';
import { buildScene } from '../model/scene';
import { panelAt } from '../fixtures/panelEntries';
import { defaultOptions } from '../types';
import { formatProblem } from '../model/problems';
import { describeCut } from './cuts';

jest.setTimeout(180_000);

const KEYFRAME_MS = 2000;
interface Run {
  grafana: string;
  dirs: string[];
  killedPid: number;
  end: number;
  stop(): void;
}

/** Everything a flight recorder holds (complete keyframes only), in its order. */
async function archive(dir: string): Promise<Array<ContractRecord | Keyframe>> {
  const out: Array<ContractRecord | Keyframe> = [];
  await replayArchive({
    dir,
    fromMs: 0,
    toMs: Number.MAX_SAFE_INTEGER,
    mode: { kind: 'backfill' },
    skipCorrupt: false,
    send: async (batch) => (out.push(...batch), { ok: true }),
  });
  return out;
}

describe('four real collectors, one picture (contract 1.2)', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startScript<Omit<Run, 'stop'>>('test/pipeline/fixtures/multi-collector.ts');
    installRuntime(run.grafana, [{ uid: 'loki', type: 'loki' }]);
  });
  afterAll(() => run?.stop());

  it("the panel's state at random instants equals the union of the flight recorders", async () => {
    // one incarnation per keyframe emitter; the records of the sources and runtimes its keyframes name go with it
    const collectors: Array<{ name: string; records: ContractRecord[]; heard: number; keyframes: number[] }> = [];
    for (const dir of run.dirs) {
      const held = await archive(dir);
      const groupOf = new Map<string, number>();
      for (const r of held) {
        if (r.type === 'keyframe') {
          let g = collectors.findIndex((c) => c.name === r.emitter);
          if (g < 0) {
            g = collectors.push({ name: r.emitter, records: [], heard: -Infinity, keyframes: [] }) - 1;
          }
          collectors[g].keyframes.push(Date.parse(r.time));
          Object.keys(r.emitters ?? {}).forEach((e) => groupOf.set(e, g));
        }
      }
      for (const r of held) {
        const g = r.type === 'keyframe' ? collectors.findIndex((c) => c.name === r.emitter) : groupOf.get(r.emitter);
        if (g === undefined) {
          throw new Error(`${r.emitter} is named by no keyframe in ${dir}`);
        }
        collectors[g].heard = Math.max(collectors[g].heard, Date.parse(r.time));
        if (r.type !== 'keyframe' && r.type !== 'flow') {
          collectors[g].records.push(r);
        }
      }
    }
    expect(collectors.length).toBe(5); // four collectors and the restarted incarnation
    const killed = collectors.find((c) => c.name.includes(`/${run.killedPid}-`))!;
    expect(killed).toBeDefined();
    const stopAt = killed.heard + 3 * KEYFRAME_MS;
    const logs = collectors.map((c) => ({ records: c.records, stopAt: c === killed ? stopAt : Infinity }));

    const loader = new StoredDataLoader(datasourceRunner('loki'), {
      selector: '{service_name="hmx-collector"}',
      refId: 'events',
      windowMs: 10 * 60_000,
      now: () => run.end + 60_000,
    });
    const first = Math.min(...collectors.flatMap((c) => c.keyframes));
    const r = rng(18);
    const last = run.end - 3000;
    expect(stopAt).toBeLessThan(last);
    // instants anywhere, and some after the killed incarnation counts as stopped
    const instants = [
      ...Array.from({ length: 12 }, () => first + 1000 + r() * (last - first - 1000)),
      ...Array.from({ length: 6 }, () => stopAt + r() * (last - stopAt)),
    ].map(Math.floor);
    for (const t of instants) {
      const w = await loader.load(t);
      const scene = buildScene(w.frames, defaultOptions, w.from, w.to);
      const got = panelAt(scene.index, t);
      const want = unionAt(logs, t);
      const differing = [...new Set([...got.keys(), ...want.keys()])].filter(
        (k) => JSON.stringify(got.get(k)) !== JSON.stringify(want.get(k))
      );
      if (differing.length > 0) {
        // what a failure needs to be understood: the instant, the window and the stored lines of what differs
        const lines = (id: string) => w.rows.filter((r) => r.line.includes(`"${id}"`)).map((r) => r.line.slice(0, 240));
        console.log(
          JSON.stringify(
            {
              t: new Date(t).toISOString(),
              stopAt: new Date(stopAt).toISOString(),
              window: [w.from, w.start, w.to].map((x) => new Date(x).toISOString()),
              cuts: w.cuts.map(describeCut),
              differing: differing.map((k) => ({
                k,
                got: got.get(k),
                want: want.get(k),
                lines: lines(k.slice(k.indexOf(':') + 1)),
              })),
            },
            null,
            1
          )
        );
      }
      expect([new Date(t).toISOString(), got]).toEqual([new Date(t).toISOString(), want]);
      if (t >= stopAt) {
        // said in words, as the other cuts are
        expect(
          scene.mapped.problems.map(formatProblem).filter((p) => p.startsWith(`${killed.name} not heard since`))
        ).toHaveLength(1);
        expect(got.get('node:sdk:rt1')?.status).toBe('unknown');
      }
    }
  });
});
