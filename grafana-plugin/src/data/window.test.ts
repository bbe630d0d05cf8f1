// loadWindow runs the keyframe parts query and one records-and-heads query at once, the records from the newest heads' time
// before the parts say which keyframes are complete. It must give exactly what reading them one after another gives:
// checked against the fake Loki behind the fake /api/ds/query where the guess is right, too late (a newest keyframe
// incomplete: an older one is used) and too early (an emitter with no complete keyframe at all).
import { DataQueryResponse } from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';
import { from, Observable, tap } from 'rxjs';
import { generateHistory, StoredRecord } from '../fixtures/history';
import { pushRecords, startStoredBackends, StoredBackends } from '../fixtures/storedBackends';
import { datasourceRunner, QueryRunner } from './query';
import { findKeyframes, likelyStart, readKeyframeHeads } from './keyframes';
import { readAllLines } from './pager';
import { keyframeHeadsExpr, recordsExpr } from './exprs';
import { linesFrame, loadWindow } from './window';
import { KEYFRAME_HEADS_REF, MAX_SKEW_MS } from '../model/emitters';

jest.setTimeout(60_000);

const NOW = 1_800_000_000_000; // injected "now": every fixture time is relative to it
const MIN = 60_000;
const HOUR = 60 * MIN;
const SELECTOR = '{service_name="hmx-collector"}';

/** The window read one query after another (how loadWindow read it before): the reference. */
async function serialWindow(run: QueryRunner, from: number, to: number) {
  const kf = await findKeyframes(run, SELECTOR, from);
  const start = kf.keyframes.length > 0 ? Math.min(...kf.keyframes.map((k) => k.time)) : from;
  const records = await readAllLines(run, recordsExpr(SELECTOR), start - MAX_SKEW_MS, to);
  const heads = await readAllLines(run, keyframeHeadsExpr(SELECTOR), start, to);
  const rows = [...kf.keyframes.flatMap((k) => k.rows), ...records.rows].sort((a, b) => a.ms - b.ms);
  return {
    start,
    rows,
    heads: heads.rows,
    cuts: [...kf.cuts, ...records.cuts, ...heads.cuts],
  };
}

/** drops part 1 of the keyframes of `emitter` stamped in [from, to) */
const dropPart = (records: StoredRecord[], emitter: string, from: number, to: number) =>
  records.filter(
    (r) =>
      !(
        r.eventName === 'hmx.keyframe' &&
        r.ms >= from &&
        r.ms < to &&
        r.line.includes(`"emitter":"${emitter}"`) &&
        JSON.parse(r.line).part.index === 1
      )
  );

describe('loadWindow, queries at once', () => {
  let be: StoredBackends;
  let a: ReturnType<typeof generateHistory>;
  let b: ReturnType<typeof generateHistory>;

  beforeAll(async () => {
    be = await startStoredBackends(NOW);
    const common = { now: NOW, nodes: 4, actorsPerNode: 5, changesPerHour: 3000, keyframeMs: 20 * MIN, partSize: 8 };
    // two collectors whose keyframes are 7 min apart
    a = generateHistory({ ...common, seed: 3, durationMs: 4 * HOUR, emitter: 'a@h/1-1' });
    b = generateHistory({ ...common, seed: 4, durationMs: 4 * HOUR - 7 * MIN, emitter: 'b@h/1-1' });
    // a's keyframe 2 h ago loses a part; b's keyframes from 3 h to 1 h ago all do
    const records = [
      ...dropPart(a.records, 'a@h/1-1', NOW - 2 * HOUR, NOW - 2 * HOUR + 1),
      ...dropPart(b.records, 'b@h/1-1', NOW - 3 * HOUR, NOW - HOUR),
    ].sort((x, y) => x.ms - y.ms);
    await pushRecords(be.loki.url, records);
  });
  afterAll(() => be?.stop());

  it.each([
    ['the newest heads are complete', NOW - 3 * HOUR + 5 * MIN],
    ["a's newest keyframe is incomplete: an older one is read too", NOW - 2 * HOUR + 3 * MIN],
    ['b has no complete keyframe in the span: fewer records than the guess', NOW - HOUR - 15 * MIN],
  ])('%s', async (_, from) => {
    const run = datasourceRunner('loki');
    const to = from + 30 * MIN;
    const want = await serialWindow(run, from, to);
    const got = await loadWindow(run, from, to, { selector: SELECTOR, refId: 'events' });
    expect(got.start).toBe(want.start);
    expect(got.rows).toEqual(want.rows);
    expect(got.frames.slice(0, 2)).toEqual([
      linesFrame('events', want.rows),
      linesFrame(KEYFRAME_HEADS_REF, want.heads),
    ]);
    expect(got.cuts).toEqual(want.cuts);
    expect(got.stats.lines).toBe(want.rows.length);
  });

  it("says what each query cost: the fake Grafana's Server-Timing, the fetch, parse and decode, and the phases", async () => {
    const before = be.dsQueries.length;
    const got = await loadWindow(datasourceRunner('loki'), NOW - 90 * MIN, NOW - 60 * MIN, {
      selector: SELECTOR,
      refId: 'events',
    });
    const asked = be.dsQueries.slice(before);
    expect(asked).toHaveLength(got.stats.queries);
    for (const q of asked) {
      expect([q.serverMs, q.fetchMs, q.parseMs, q.decodeMs].every((x) => typeof x === 'number' && x >= 0)).toBe(true);
    }
    expect(Object.keys(got.stats.ms).sort()).toEqual(['flows', 'lookup', 'parts', 'records', 'total']);
  });

  it('hands an answer over in a later task than the one that decoded it (each short enough not to hold a frame)', async () => {
    const query = DataSourceWithBackend.prototype.query;
    // a task queued the moment the answer is decoded: it runs before the answer reaches the caller
    let taskRan = false;
    const spy = jest.spyOn(DataSourceWithBackend.prototype, 'query').mockImplementation(function (
      this: DataSourceWithBackend,
      req
    ) {
      const out = query.call(this, req) as Observable<DataQueryResponse>;
      return from(out).pipe(tap(() => setTimeout(() => (taskRan = true), 0)));
    });
    try {
      const rsp = await datasourceRunner('loki')(
        { refId: 'x', expr: keyframeHeadsExpr(SELECTOR), queryType: 'range', maxLines: 10, direction: 'backward' },
        NOW - HOUR,
        NOW
      );
      expect(spy).toHaveBeenCalledTimes(1);
      expect(rsp.data.length).toBeGreaterThan(0);
      expect(taskRan).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('the fixture covers each case: the guess right, later than the start, earlier than the start', async () => {
    const run = datasourceRunner('loki');
    const guessAndStart = async (t: number) => {
      const heads = await readKeyframeHeads(run, SELECTOR, t);
      const kf = await findKeyframes(run, SELECTOR, t);
      return [likelyStart(heads), Math.min(...kf.keyframes.map((k) => k.time))];
    };
    const [g1, s1] = await guessAndStart(NOW - 3 * HOUR + 5 * MIN);
    expect(g1).toBe(s1);
    const [g2, s2] = await guessAndStart(NOW - 2 * HOUR + 3 * MIN);
    expect(s2).toBeLessThan(g2);
    const [g3, s3] = await guessAndStart(NOW - HOUR - 15 * MIN);
    expect(s3).toBeGreaterThan(g3);
  });
});
