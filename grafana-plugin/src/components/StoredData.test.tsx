// The panel on the stored-data path: it queries the fake Loki through the real DataSourceWithBackend
// itself (no dashboard frames), draws the state at the playhead, and says in words what was cut.
import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { TopologyPanel } from './TopologyPanel';
import { panelProps } from '../fixtures/props';
import { generateHistory } from '../fixtures/history';
import { installRuntime, pushRecords, startStoredBackends, StoredBackends } from '../fixtures/storedBackends';
import { defaultOptions } from '../types';
import { setClock } from '../data/clock';

jest.setTimeout(60_000);

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

describe('TopologyPanel over stored data', () => {
  let be: StoredBackends;
  // the keyframe at the start of the playhead's window lost a part
  const lostAt = NOW - 2 * HOUR;
  beforeAll(async () => {
    be = await startStoredBackends(NOW);
    const h = generateHistory({
      seed: 3,
      now: NOW,
      durationMs: 4 * HOUR,
      nodes: 4,
      actorsPerNode: 5,
      changesPerHour: 300,
      keyframeMs: 600_000,
      partSize: 8,
    });
    await pushRecords(
      be.loki.url,
      h.records.filter(
        (r) => !(r.ms === lostAt && r.eventName === 'hmx.keyframe' && JSON.parse(r.line).part.index === 1)
      )
    );
  });
  afterAll(() => {
    be?.stop();
    setClock(() => Date.now());
  });

  it('draws the state from the stored records and names the incomplete keyframe with its time', async () => {
    const props = panelProps(
      [],
      { options: { ...defaultOptions, liveByDefault: false, storedData: 'auto' } },
      NOW - 2 * HOUR,
      NOW - 2 * HOUR + 3 * HOUR
    );
    render(<TopologyPanel {...props} />);
    await waitFor(() => expect(screen.getByTestId('hmx-summary').textContent).toContain('4 nodes · 20 actors'), {
      timeout: 20_000,
    });
    const notice = await screen.findByTestId('hmx-stored-notice');
    expect(notice.textContent).toContain(
      `keyframe of demo@host/1-1 at ${new Date(lostAt).toISOString()} is incomplete (2 of 3 parts stored)`
    );
    expect(notice.textContent).toContain(`complete keyframe at ${new Date(lostAt - 600_000).toISOString()}`);
    // every query went through /api/ds/query: keyframe lookup, records, density
    expect(be.dsQueries.some((q) => q.expr.includes('event_name="hmx.keyframe"'))).toBe(true);
    expect(be.dsQueries.some((q) => q.expr.startsWith('sum(count_over_time('))).toBe(true);
  });

  it('says so on the panel when the datasource is not there, instead of drawing a guess', async () => {
    installRuntime(be.grafana.url, [{ uid: 'loki', type: 'loki' }]);
    const props = panelProps(
      [],
      { options: { ...defaultOptions, liveByDefault: false, storedData: 'always', lokiUid: 'missing' } },
      NOW - HOUR,
      NOW
    );
    render(<TopologyPanel {...props} />);
    await waitFor(
      () =>
        expect(screen.getByTestId('hmx-message').textContent).toMatch(
          /^Stored data .* not shown: Datasource missing was not found/
        ),
      { timeout: 20_000 }
    );
  });

  it('live: a record stored after the panel opened reaches the canvas through the 1 s poll', async () => {
    // the injected clock runs from NOW
    const started = Date.now();
    setClock(() => NOW + (Date.now() - started));
    const props = panelProps(
      [],
      { options: { ...defaultOptions, liveByDefault: true, storedData: 'always' } },
      NOW - 2 * HOUR,
      NOW
    );
    render(<TopologyPanel {...props} />);
    await waitFor(() => expect(screen.getByTestId('hmx-summary').textContent).toContain('4 nodes · 20 actors'), {
      timeout: 20_000,
    });
    const at = NOW + (Date.now() - started);
    const late = {
      v: 1,
      type: 'actor.spawned',
      time: new Date(at).toISOString(),
      emitter: 'demo@host/1-1',
      seq: 1_000_000,
      actor: { id: 'mesh:n0/late', kind: 'worker', layer: 'mesh', name: 'late', node: 'mesh:n0' },
    };
    await pushRecords(be.loki.url, [
      { ms: at, eventName: 'hmx.actor.spawned', seq: late.seq, line: JSON.stringify(late) },
    ]);
    await waitFor(() => expect(screen.getByTestId('hmx-summary').textContent).toContain('4 nodes · 21 actors'), {
      timeout: 20_000,
    });
  });
});
