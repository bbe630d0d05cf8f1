// Grafana 13.2+ runs plugins on React 19 with its newest @grafana/* packages: the built dist/module.js (compiled
// against 13.1 / React 18) is loaded by a host bundled from react19/ (npm run build:host:react19) and must draw,
// interact and read stored data through that @grafana/runtime exactly as on the default host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, openPanel } from './browser.mjs';
import { checkStoredInstant, forwardDsQuery, openStoredPanel, startStoredFixture } from './storedBackends.mjs';

let fixture;
let server;
let context;

before(async () => {
  fixture = await startStoredFixture([
    '--days',
    '1',
    '--nodes',
    '6',
    '--actors-per-node',
    '5',
    '--changes-per-hour',
    '300',
    '--instants',
    '8',
  ]);
  server = await startServer(0, forwardDsQuery(fixture.grafana), 'react19');
  context = await launch();
});

after(async () => {
  await context?.close();
  await server?.close();
  await fixture?.stop();
});

describe('the built panel on React 19 and the newest @grafana/* (as Grafana 13.2+ supplies them)', () => {
  it('is handed React 19, draws its canvas and answers the keyboard without a page error', async () => {
    const { page, errors } = await openPanel(context, server.url);
    assert.match(await page.evaluate(() => window.__hmx.reactVersion), /^19\./);
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    assert.equal(await page.locator('[data-testid="hmx-canvas"]').getAttribute('data-nodes'), '2');
    const before = await page.locator('[data-testid="hmx-track"]').getAttribute('aria-valuenow');
    await page.locator('[data-testid="hmx-track"]').focus();
    await page.keyboard.press('End');
    assert.notEqual(
      await page.locator('[data-testid="hmx-track"]').getAttribute('aria-valuenow'),
      before,
      'End moves the playhead'
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('reads stored data through @grafana/runtime 13.2 and matches the generator at random instants', async () => {
    const { page, errors } = await openStoredPanel(context, server.url, fixture, '6 nodes · 30 actors');
    for (const x of fixture.truth.instants) {
      const r = await checkStoredInstant(page, fixture, x);
      assert.equal(r.wrong, 0, `t=${new Date(x.t).toISOString()}: ${JSON.stringify(r)}`);
      assert.equal(r.compared, 36); // 6 nodes and 30 actors
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
});
