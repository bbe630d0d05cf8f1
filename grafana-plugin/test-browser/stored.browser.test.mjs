// The stored-data path in Chromium: the built dist/module.js and the host's real @grafana/runtime
// (DataSourceWithBackend → POST /api/ds/query → fake Grafana → fake Loki) over a generated history;
// state at seeded random instants compared with the generator's truth.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch } from './browser.mjs';
import { checkStoredInstant, forwardDsQuery, openStoredPanel, startStoredFixture } from './storedBackends.mjs';

let fixture;
let server;
let context;

before(async () => {
  fixture = await startStoredFixture([
    '--days',
    '1',
    '--nodes',
    '10',
    '--actors-per-node',
    '10',
    '--changes-per-hour',
    '800',
    '--instants',
    '25',
    '--node-failures-per-day',
    '48',
  ]);
  server = await startServer(0, forwardDsQuery(fixture.grafana));
  context = await launch();
});

after(async () => {
  await context?.close();
  await server?.close();
  fixture?.stop();
});

describe('panel over stored data in Chromium', () => {
  it('draws the stored state through /api/ds/query and matches the generator at random instants', async () => {
    const { page, errors } = await openStoredPanel(context, server.url, fixture, '10 nodes · 100 actors');
    const queried = await page.evaluate(() => window.__hmx.dsQueries.map((q) => q.expr));
    assert.ok(
      queried.some((e) => e.includes('event_name="hmx.keyframe"')),
      'keyframe lookup went through /api/ds/query'
    );
    assert.ok(
      queried.some((e) => e.startsWith('sum(count_over_time(')),
      'density from the aggregate'
    );
    // the seeded history puts some instants inside node failures (failed nodes, their actors unknown)
    assert.ok(fixture.truth.instants.some((x) => x.states.slice(0, fixture.truth.nodes).includes('E')));
    assert.ok(fixture.truth.instants.some((x) => x.states.includes('U')));
    for (const x of fixture.truth.instants) {
      const r = await checkStoredInstant(page, fixture, x);
      assert.equal(r.wrong, 0, `t=${new Date(x.t).toISOString()}: ${JSON.stringify(r)}`);
      assert.equal(r.compared, 110);
      assert.ok(r.queries <= 10, `queries per seek ${r.queries}`);
      // the first window starts with the history: no keyframe before it exists, and the panel says so
      const firstWindow = x.t < fixture.from + 3_600_000;
      assert.deepEqual(
        r.cuts,
        firstWindow
          ? [
              'no complete keyframe stored in this span: entities that existed before it and did not change are not shown',
            ]
          : []
      );
    }
    assert.deepEqual(errors, []);
  });
});
