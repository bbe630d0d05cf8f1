// The stored-data path against the fake Loki behind the fake /api/ds/query, through the real
// @grafana/runtime DataSourceWithBackend: paging across Loki's 5,000-line limit, keyframe lookup with
// parts, cuts in words, refused queries, the density aggregate, and state at t against the generator.
import { generateHistory, History } from '../fixtures/history';
import { pushRecords, startStoredBackends, StoredBackends } from '../fixtures/storedBackends';
import { datasourceRunner, QueryRefused } from './query';
import { readAllLines } from './pager';
import { findKeyframes } from './keyframes';
import { recordsExpr } from './exprs';
import { loadDensity } from './density';
import { StoredDataLoader } from './loader';
import { describeCut } from './cuts';
import { buildScene } from '../model/scene';
import { defaultOptions } from '../types';
import { STATUS } from '../model/ops';
import { formatProblem } from '../model/problems';

jest.setTimeout(60_000);

const NOW = 1_800_000_000_000; // injected "now": every fixture time is relative to it
const HOUR = 3_600_000;
const SELECTOR = '{service_name="hmx-collector"}';

describe('stored data through /api/ds/query', () => {
  let be: StoredBackends;
  let history: History;
  const run = () => datasourceRunner('loki');

  beforeAll(async () => {
    be = await startStoredBackends(NOW);
    // 6 h, 20 nodes × 10 actors, ~4,000 changes an hour: > 5,000 records in most 2-hour spans;
    // keyframes every 10 min in parts of 64 entities (4 parts each)
    history = generateHistory({
      seed: 7,
      now: NOW,
      durationMs: 6 * HOUR,
      nodes: 20,
      actorsPerNode: 10,
      changesPerHour: 4000,
      keyframeMs: 600_000,
      partSize: 64,
    });
    // one keyframe part never reaches Loki: part 2 of the keyframe 3 h before now
    const lost = history.keyframeTimes.find((t) => t === NOW - 3 * HOUR)!;
    const kept = history.records.filter(
      (r) => !(r.ms === lost && r.eventName === 'hmx.keyframe' && JSON.parse(r.line).part.index === 2)
    );
    expect(kept.length).toBe(history.records.length - 1);
    await pushRecords(be.loki.url, kept);
  });
  afterAll(() => be?.stop());

  it("reads every record of a span holding more than Loki's 5,000-line limit, each once, in order", async () => {
    const from = NOW - 5 * HOUR;
    const to = NOW - 3 * HOUR;
    const expected = history.records.filter((r) => r.eventName !== 'hmx.keyframe' && r.ms >= from && r.ms < to);
    expect(expected.length).toBeGreaterThan(5000);
    const got = await readAllLines(run(), recordsExpr(SELECTOR), from, to);
    expect(got.cuts).toEqual([]);
    expect(got.queries).toBe(Math.ceil(expected.length / 5000) + (expected.length % 5000 === 0 ? 1 : 0));
    expect(got.rows.map((r) => JSON.parse(r.line).seq)).toEqual(expected.map((r) => r.seq));
  });

  it('says what it could not read when the page budget runs out', async () => {
    const from = NOW - 5 * HOUR;
    const got = await readAllLines(run(), recordsExpr(SELECTOR), from, NOW, { limit: 1000, maxPages: 2 });
    const expected = history.records.filter((r) => r.eventName !== 'hmx.keyframe' && r.ms >= from);
    expect(got.rows.length).toBeGreaterThan(1000);
    expect(got.rows.map((r) => JSON.parse(r.line).seq)).toEqual(expected.slice(0, got.rows.length).map((r) => r.seq));
    expect(got.cuts).toHaveLength(1);
    // everything before the cut was read; the cut starts at the last millisecond read and runs to the end
    expect(got.cuts[0].from).toBe(got.rows[got.rows.length - 1].ms);
    expect(expected.filter((r) => r.ms < got.cuts[0].from).length).toBeLessThanOrEqual(got.rows.length);
    expect(got.cuts[0].to).toBe(NOW);
    expect(describeCut(got.cuts[0])).toMatch(/^\d{4}-\d\d-\d\dT.* – .*: not read: more than 2 pages of 1000 lines$/);
  });

  it('finds the newest complete keyframe at or before t and reassembles its parts', async () => {
    const t = NOW - 2 * HOUR + 5 * 60_000;
    const got = await findKeyframes(run(), SELECTOR, t);
    // the heads of the last hour, then the newest one's parts by hmx_keyframe_id
    expect(got.queries).toBe(2);
    expect(got.cuts).toEqual([]);
    expect(got.keyframes).toHaveLength(1);
    expect(got.keyframes[0].time).toBe(NOW - 2 * HOUR);
    expect(got.keyframes[0].rows.map((r) => JSON.parse(r.line).part.index).sort()).toEqual([0, 1, 2, 3]);
  });

  it('never uses a keyframe with a part missing: falls back to the earlier one and says so', async () => {
    const t = NOW - 3 * HOUR + 60_000;
    const got = await findKeyframes(run(), SELECTOR, t);
    expect(got.keyframes[0].time).toBe(NOW - 3 * HOUR - 600_000);
    expect(got.cuts).toHaveLength(1);
    expect(formatProblem(got.cuts[0].problem)).toContain('is incomplete (3 of 4 parts stored)');
    expect(formatProblem(got.cuts[0].problem)).toContain(new Date(NOW - 3 * HOUR - 600_000).toISOString());
  });

  it('pages backward past a full page of keyframe parts without judging a cut-off keyframe', async () => {
    // 6 lines per page: the newest keyframe's 4 parts + 2 of the older one, which must not count as incomplete
    const t = NOW - HOUR;
    const got = await findKeyframes(run(), SELECTOR, t, { limit: 6 });
    expect(got.keyframes[0].time).toBe(NOW - HOUR);
    expect(got.cuts).toEqual([]);
  });

  it('looks back past an empty last hour in one more query: at the start of the history, none', async () => {
    // the history starts 6 h before now; its first keyframe is 10 min later
    const t = NOW - 6 * HOUR + 5 * 60_000;
    const got = await findKeyframes(run(), SELECTOR, t);
    expect(got.queries).toBe(2);
    expect(got.keyframes).toEqual([]);
    expect(got.cuts.map((c) => [c.from, formatProblem(c.problem)])).toEqual([
      [t + 1 - 7 * 24 * HOUR, expect.stringContaining('no complete keyframe stored in this span')],
    ]);
  });

  it("reads a wider span's newest page only: the nearest keyframes, one query", async () => {
    // the first span (1 min) holds no keyframe; the 7 d one more heads than a page of 3
    const t = NOW - 2 * HOUR + 5 * 60_000;
    const got = await findKeyframes(run(), SELECTOR, t, { limit: 3, spans: [60_000, 7 * 24 * HOUR] });
    // two heads queries and one for the parts of the newest
    expect(got.queries).toBe(3);
    expect(got.keyframes.map((k) => k.time)).toEqual([NOW - 2 * HOUR]);
    expect(got.cuts).toEqual([]);
  });

  it("reports a refused query with Loki's own message", async () => {
    await expect(readAllLines(run(), recordsExpr(SELECTOR), NOW - HOUR, NOW, { limit: 5001 })).rejects.toThrow(
      new QueryRefused(
        'loki',
        'max entries limit per query exceeded, limit > max_entries_limit_per_query (5001 > 5000)'
      )
    );
    await expect(readAllLines(run(), recordsExpr(SELECTOR), NOW - 800 * HOUR, NOW)).rejects.toThrow(
      /the query time range exceeds the limit \(query length: 800h0m0s, limit: 30d1h\)/
    );
  });

  it('builds the density track from a count_over_time aggregate that sums to the records', async () => {
    const from = NOW - 6 * HOUR + 60_000;
    const d = await loadDensity(run(), SELECTOR, from, NOW, 360);
    const expected = history.records.filter(
      (r) => /^hmx\.(node|actor)\./.test(r.eventName) && r.ms > from && r.ms <= NOW
    ).length;
    expect(d.queries).toBe(1);
    expect(d.cuts).toEqual([]);
    expect(d.bins.reduce((a, b) => a + b, 0)).toBe(expected);
    expect(be.dsQueries.some((q) => q.expr.startsWith('sum(count_over_time('))).toBe(true);
  });

  it("state at random instants from a loaded window equals the generator's truth", async () => {
    const loader = new StoredDataLoader(run(), { selector: SELECTOR, refId: 'events', windowMs: HOUR });
    const instants = [NOW - 5.5 * HOUR, NOW - 3 * HOUR + 30_000, NOW - 2.2 * HOUR, NOW - 17 * 60_000];
    for (const t of instants) {
      const before = be.dsQueries.length;
      const w = await loader.load(t);
      expect(be.dsQueries.length - before).toBeLessThanOrEqual(10);
      const scene = buildScene(w.frames, defaultOptions, w.from, w.to);
      const state = scene.index.stateAt(t);
      const truth = history.truthAt(t);
      const reg = scene.index.registry;
      let compared = 0;
      for (const [id, s] of truth) {
        const i = reg.actors().findIndex((a) => a.id === id);
        expect(i).toBeGreaterThanOrEqual(0);
        const e = reg.info.findIndex((x, k) => x.id === id && reg.kinds[k] === 'actor');
        expect([id, state.status[e]]).toEqual([id, s.state === 'running' ? STATUS.UP : STATUS.DOWN]);
        expect([id, state.restarts[e]]).toEqual([id, s.restarts]);
        compared++;
      }
      expect(compared).toBe(200);
    }
    expect(loader.cachedWindows).toBeLessThanOrEqual(6);
  });
});
