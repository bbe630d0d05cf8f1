// Live mode and window freshness against the fake Loki behind the fake /api/ds/query: each new record is
// returned once, a record that reaches Loki late (but inside the overlap) is not missed, an open window
// is read again, and a millisecond with more lines than a page is named as a cut.
import { pushRecords, startStoredBackends, StoredBackends } from '../fixtures/storedBackends';
import { StoredRecord } from '../fixtures/history';
import { datasourceRunner } from './query';
import { LiveTail } from './liveTail';
import { StoredDataLoader } from './loader';
import { readAllLines } from './pager';
import { recordsAndHeadsExpr, recordsExpr } from './exprs';

jest.setTimeout(60_000);

const NOW = 1_800_000_000_000;
const SELECTOR = '{service_name="hmx-collector"}';

let seq = 0;
function spawned(ms: number): StoredRecord {
  seq++;
  const body = {
    v: 1,
    type: 'actor.spawned',
    time: new Date(ms).toISOString(),
    emitter: 'e',
    seq,
    actor: { id: `a${seq}`, kind: 'w', layer: 'mesh', name: `a${seq}`, node: 'n' },
  };
  return { ms, eventName: 'hmx.actor.spawned', seq, line: JSON.stringify(body) };
}

describe('live tail and open windows', () => {
  let be: StoredBackends;
  beforeAll(async () => {
    be = await startStoredBackends(NOW);
  });
  afterAll(() => be?.stop());

  it('live polls also return keyframe heads (part 0s only): a quiet collector is still heard', async () => {
    const at = NOW - 2_000_000;
    const part = (index: number): StoredRecord => {
      const body = {
        v: 1,
        type: 'keyframe',
        time: new Date(at).toISOString(),
        emitter: 'collector@q/1-1',
        seq: 10 + index,
        part: { id: 'collector@q/1-1#10', index, count: 2 },
        nodes: [],
        actors: [],
        flows: [],
      };
      return { ms: at, eventName: 'hmx.keyframe', seq: body.seq, line: JSON.stringify(body) };
    };
    const joined = {
      v: 1,
      type: 'node.joined',
      time: new Date(at + 1).toISOString(),
      emitter: 'mesh@q/1-1',
      seq: 1,
      node: { id: 'q', kind: 'vm', layer: 'mesh', name: 'q' },
    };
    await pushRecords(be.loki.url, [
      part(0),
      part(1),
      { ms: at + 1, eventName: 'hmx.node.joined', seq: 1, line: JSON.stringify(joined) },
    ]);
    const got = await new LiveTail(datasourceRunner('loki'), recordsAndHeadsExpr(SELECTOR), at - 1000).poll(at + 1000);
    expect(got.rows.map((r) => [JSON.parse(r.line).type, JSON.parse(r.line).part?.index])).toEqual([
      ['keyframe', 0],
      ['node.joined', undefined],
    ]);
  });

  it('returns each new record once, including one that arrives late inside the overlap', async () => {
    const tail = new LiveTail(datasourceRunner('loki'), recordsExpr(SELECTOR), NOW - 60_000);
    await pushRecords(be.loki.url, [spawned(NOW - 50_000), spawned(NOW - 40_000)]);
    const first = await tail.poll(NOW - 30_000);
    expect(first.rows.map((r) => JSON.parse(r.line).seq)).toEqual([1, 2]);
    // a record stamped before the newest one reaches Loki only now (OTel batching)
    await pushRecords(be.loki.url, [spawned(NOW - 20_000), spawned(NOW - 45_000)]);
    const second = await tail.poll(NOW - 10_000);
    expect(second.rows.map((r) => JSON.parse(r.line).seq).sort()).toEqual([3, 4]);
    expect((await tail.poll(NOW)).rows).toEqual([]);
  });

  it('reads a window again once it was read before its end (records may still arrive)', async () => {
    let clock = NOW - 5_000;
    const loader = new StoredDataLoader(datasourceRunner('loki'), {
      selector: SELECTOR,
      refId: 'events',
      windowMs: 3_600_000,
      now: () => clock,
    });
    const a = await loader.load(NOW - 1000);
    await pushRecords(be.loki.url, [spawned(NOW - 2000)]);
    expect(await loader.load(NOW - 1000)).toBe(a);
    clock += 11_000;
    const b = await loader.load(NOW - 1000);
    expect(b).not.toBe(a);
    expect(b.stats.lines).toBe(a.stats.lines + 1);
  });

  it('reads a millisecond holding more lines than a page whole, by seq ranges split up front', async () => {
    const at = NOW - 3_000_000;
    const before = spawned(at - 1);
    const burst = Array.from({ length: 75 }, () => spawned(at));
    const after = spawned(at + 1);
    await pushRecords(be.loki.url, [before, ...burst, after]);
    const got = await readAllLines(datasourceRunner('loki'), recordsExpr(SELECTOR), at - 1, at + 1000, { limit: 20 });
    expect(got.cuts).toEqual([]);
    expect(got.rows.map((r) => JSON.parse(r.line).seq)).toEqual([before.seq, ...burst.map((r) => r.seq), after.seq]);
    // the split queries filter on the structured-metadata seq
    expect(be.dsQueries.some((q) => /\| hmx_seq >= \d+/.test(q.expr))).toBe(true);
    // two pages up to the burst, its last page, 4 seq ranges of ≤ 19 at once (split up front), the page after it
    expect(got.queries).toBe(8);
  });
});
