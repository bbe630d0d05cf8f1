// The canvas as a person sees it (issue 21): particles stay on the edges the model says carry flow,
// and labels never sit under chrome nor get cut when they fit. Debian Chromium via playwright-core.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, debug, openPanel, hostPerFile } from './browser.mjs';
import { distanceToSegment, sampleOnScreen } from './particles.mjs';
import { startChurnCollector } from './churnCollector.mjs';
import { startPreview } from './serve.mjs';

const host = hostPerFile();

/** RGB rows of the panel canvas in a CSS-pixel rectangle. */
function pixels(page, x, y, w, h) {
  return page.evaluate(
    ([x, y, w, h]) => {
      const c = document.querySelector('[data-testid="hmx-canvas"]');
      const d = c.getContext('2d').getImageData(x, y, w, h).data;
      const rows = [];
      for (let j = 0; j < h; j++) {
        const row = [];
        for (let i = 0; i < w; i++) {
          const o = (j * w + i) * 4;
          row.push([d[o], d[o + 1], d[o + 2]]);
        }
        rows.push(row);
      }
      return rows;
    },
    [Math.round(x), Math.round(y), Math.round(w), Math.round(h)]
  );
}

const near = (a, b, tol = 12) =>
  Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol && Math.abs(a[2] - b[2]) <= tol;

/** Zooms with the wheel over a node's top-left corner until the canvas is at `level` (and `further` steps more) and redrawn there. */
async function zoomTo(page, node, level, further = 0) {
  const box = await page.locator('[data-testid="hmx-canvas"]').boundingBox();
  for (let i = 0; i < 12; i++) {
    if ((await page.locator('[data-testid="hmx-canvas"]').getAttribute('data-level')) === level && further-- <= 0) {
      break;
    }
    const [x, y] = await debug(page, 'rectOf', node);
    await page.mouse.move(box.x + x + 2, box.y + y + 2);
    await page.mouse.wheel(0, -250);
    await page.waitForTimeout(250);
  }
  await page.waitForSelector(`[data-testid="hmx-canvas"][data-level="${level}"]`);
  await page.waitForTimeout(400); // the cached scene is redrawn once the view has been still
}

describe('canvas as a person sees it', () => {
  it('every particle lies on an edge that carries flow and is drawn on the screen, while the topology changes under playback and zoom', async () => {
    const { page, errors } = await openPanel(host.context, host.server.url);
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    await page.getByRole('radio', { name: '600×', exact: true }).click();
    await page.getByRole('button', { name: 'Play' }).click();
    const offEdge = [];
    const offScreen = [];
    const times = new Set();
    let seen = 0;
    for (let k = 0; k < 24; k++) {
      if (k === 8 || k === 14) {
        // zoom while playing: the cached layer is transformed, the particles must follow it
        await page.locator('[data-testid="hmx-canvas-wrap"]').focus();
        await page.keyboard.press(k === 8 ? '+' : '-');
      }
      const { particles, edges, onScreen, t } = await sampleOnScreen(page);
      times.add(t);
      offScreen.push(...onScreen.map((o) => ({ at: t, ...o })));
      seen += particles.length;
      for (const p of particles) {
        const d = Math.min(Infinity, ...edges.map((e) => distanceToSegment(p, e)));
        if (d > 1.5) {
          offEdge.push({ at: t, p, d });
        }
      }
      await page.waitForTimeout(120);
    }
    assert.ok(seen > 100, `particles were sampled (${seen})`);
    assert.ok(times.size > 3, `the playhead moved while sampling (${times.size} distinct times)`);
    assert.deepEqual(offEdge.slice(0, 5), [], `${offEdge.length} of ${seen} particles off every flowing edge`);
    assert.deepEqual(
      offScreen.slice(0, 5),
      [],
      `${offScreen.length} of ${seen} particles with no line drawn beside them`
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('in the live preview, every particle is on an edge drawn on the screen while refreshes add, fail, remove nodes and rewire flows, under zoom and pan', async () => {
    const fake = await startChurnCollector();
    const preview = await startPreview(fake.url);
    const page = await host.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      // the preview page as `npm start` prints it, polling every 300 ms instead of 2 s
      await page.goto(`${preview.url}/?scenario=live&poll=300&w=1380&h=800`);
      await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]', { timeout: 60_000 });
      const polls0 = fake.polls();
      const box = await page.locator('[data-testid="hmx-canvas"]').boundingBox();
      const offModel = [];
      const offScreen = [];
      const summaries = new Set();
      let seen = 0;
      // at least 40 samples and until the page has refreshed 8 times (a slow machine polls less often)
      for (let k = 0; k < 40 || (fake.polls() - polls0 < 8 && k < 400); k++) {
        if (k % 10 === 4) {
          // zoom in and out at the canvas centre, and pan: the cached layer is transformed, then redrawn
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          await page.mouse.wheel(0, k % 20 === 4 ? -300 : 300);
        }
        if (k % 10 === 7) {
          await page.mouse.move(box.x + 400, box.y + 300);
          await page.mouse.down();
          await page.mouse.move(box.x + 460, box.y + 340, { steps: 3 });
          await page.mouse.up();
        }
        const { particles, edges, onScreen } = await sampleOnScreen(page);
        summaries.add(await page.locator('[data-testid="hmx-summary"]').textContent());
        seen += particles.length;
        for (const p of particles) {
          const d = Math.min(Infinity, ...edges.map((e) => distanceToSegment(p, e)));
          if (d > 1.5) {
            offModel.push({ k, p, d });
          }
        }
        offScreen.push(...onScreen.map((o) => ({ k, ...o })));
        await page.waitForTimeout(120);
      }
      await page.locator('[data-testid="hmx-panel"]').screenshot({ path: join(ARTIFACTS, 'live-churn-particles.png') });
      assert.ok(seen > 300, `particles were sampled (${seen})`);
      assert.ok(
        fake.polls() - polls0 >= 8,
        `the page refreshed from the collector while sampling (${fake.polls() - polls0} polls)`
      );
      assert.ok(summaries.size >= 3, `the topology changed while sampling: ${[...summaries].join(' | ')}`);
      assert.deepEqual(
        offModel.slice(0, 5),
        [],
        `${offModel.length} of ${seen} particles off every edge that carries flow`
      );
      assert.deepEqual(
        offScreen.slice(0, 5),
        [],
        `${offScreen.length} of ${seen} particles with no line drawn beside them`
      );
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await preview.close();
      await fake.close();
    }
  });

  it('node labels start right of the layer stripe at every zoom, and actor names are whole where they fit', async () => {
    const { page } = await openPanel(host.context, host.server.url, 'particles=0');
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    for (const level of ['actors', 'labels']) {
      if (level === 'labels') {
        await zoomTo(page, 'alpha', 'labels', 1);
      }
      const [x, y, w, h] = await debug(page, 'rectOf', 'alpha');
      // the stripe's width, read from the pixels of the box's lower rows (no text there)
      const bottom = (await pixels(page, x, y + h - 4, Math.min(40, w), 1))[0];
      const stripeColour = bottom[2];
      let stripe = 2;
      while (stripe < bottom.length && near(bottom[stripe], stripeColour)) {
        stripe++;
      }
      // in the header (where the label is; edges may cross the stripe lower down) the stripe's columns are stripe colour
      const { scale } = await debug(page, 'view');
      const band = await pixels(page, x, y + 3, stripe + 3, 22 * scale - 6);
      band.forEach((row, j) => {
        for (let i = 2; i < stripe - 1; i++) {
          assert.ok(
            near(row[i], stripeColour),
            `stripe pixel (${i}, ${j + 3}) at ${level} is ${row[i]}, not the stripe colour ${stripeColour}: text over the stripe`
          );
        }
      });
      const labels = await page.evaluate(() => document.querySelector('[data-testid="hmx-canvas"]').hmx.stats.labels);
      const node = labels.find((l) => l.id === 'alpha');
      assert.ok(node, `alpha's label is drawn at ${level}`);
      assert.ok(node.x >= x + stripe + 2, `label starts at ${node.x}, stripe ends at ${x + stripe}`);
      assert.ok(node.x + node.w <= x + w, 'label ends inside its box');
    }
    await page.mouse.move(0, 0); // no hover tooltip over the labels the picture is about
    await page.waitForTimeout(100);
    await page.locator('[data-testid="hmx-panel"]').screenshot({ path: join(ARTIFACTS, 'labels-zoomed-in.png') });
    // zoomed in: actor names that fit their room are whole, and no two labels overlap
    const labels = await page.evaluate(() => document.querySelector('[data-testid="hmx-canvas"]').hmx.stats.labels);
    const actors = labels.filter((l) => l.id.startsWith('alpha-w'));
    assert.ok(actors.length >= 2, `actor labels drawn (${actors.length})`);
    const widthAt9 = await page.evaluate(
      (names) => {
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = '9px sans-serif';
        return names.map((n) => ctx.measureText(n).width);
      },
      actors.map((l) => l.full)
    );
    actors.forEach((l, i) => {
      if (widthAt9[i] <= l.room) {
        assert.equal(l.text, l.full, `${l.full} fits its ${l.room.toFixed(0)} px at 9 px but reads "${l.text}"`);
      }
    });
    assert.ok(
      actors.some((l) => l.text === 'alpha-w0'),
      `alpha-w0 is readable in full at this zoom: ${JSON.stringify(actors)}`
    );
    for (const a of actors) {
      for (const b of actors) {
        if (a !== b && Math.abs(a.y - b.y) < 8) {
          assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x, `labels ${a.id} and ${b.id} overlap`);
        }
      }
    }
    await page.close();
  });
});

/** The whole panel canvas as base64 RGBA, and how many of its redraws repainted only cells. */
function canvasRaster(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="hmx-canvas"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) {
      bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
    }
    return { width: c.width, rgba: btoa(bin), cellRedraws: c.hmx.cellRedraws, cells: c.hmx.cells };
  });
}

/**
 * Pixels that differ between two rasters of the same size by more than `tolerance` in a channel (and the first
 * few with both colours), and how many differ by at most that.
 */
function rasterDiff(a, b, tolerance) {
  const x = Buffer.from(a.rgba, 'base64');
  const y = Buffer.from(b.rgba, 'base64');
  assert.equal(x.length, y.length, 'rasters of the same size');
  let count = 0;
  let within = 0;
  const first = [];
  for (let i = 0; i < x.length; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c++) {
      d = Math.max(d, Math.abs(x[i + c] - y[i + c]));
    }
    if (d > tolerance) {
      count++;
      if (first.length < 5) {
        const at = [(i / 4) % a.width, Math.floor(i / 4 / a.width)];
        first.push({ at, cells: [...x.subarray(i, i + 4)], full: [...y.subarray(i, i + 4)] });
      }
    } else if (d > 0) {
      within++;
    }
  }
  return { count, within, first };
}

describe('cell by cell repaints', () => {
  it('repainting only the cells of the entities that changed paints exactly what a full redraw paints, zoomed out and in', async (test) => {
    // the same panel twice, one repainting all of its layer at every redraw; no particles (they move with time)
    const cells = await openPanel(host.context, host.server.url, 'particles=0');
    const full = await openPanel(host.context, host.server.url, 'particles=0&full=1');
    const pages = [cells.page, full.page];
    for (const page of pages) {
      await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
      await page.mouse.move(0, 0);
    }
    let compared = 0;
    let roundings = 0;
    for (const zoomed of [false, true]) {
      for (const page of pages) {
        if (zoomed) {
          // the keys zoom by a fixed step about the centre: both pages reach the same view
          await page.locator('[data-testid="hmx-canvas-wrap"]').focus();
          await page.keyboard.press('+');
          await page.keyboard.press('+');
          await page.waitForSelector('[data-testid="hmx-canvas"][data-level="labels"]');
        }
        await page.locator('[data-testid="hmx-track"]').focus();
        await page.keyboard.press('Home');
        await page.waitForTimeout(300);
      }
      assert.deepEqual(await debug(cells.page, 'view'), await debug(full.page, 'view'));
      // event by event: exits, a node failing, a restart's flash and its end, with entities appearing in between
      for (let k = 0; k < 8; k++) {
        for (const page of pages) {
          await page.keyboard.press('PageDown');
        }
        const t = await cells.page.locator('[data-testid="hmx-playhead-time"]').textContent();
        assert.equal(await full.page.locator('[data-testid="hmx-playhead-time"]').textContent(), t);
        // Skia rasterises a path clipped to a cell with other antialiasing arithmetic (dashes are cut at the clip,
        // large paths scanned differently): edge pixels may round up to 2 of 255 apart, a wrong look is far more.
        // A loaded machine may present a page's frame late: the pictures get a few tries to agree
        let diff;
        for (let tries = 0; tries < 10 && diff?.count !== 0; tries++) {
          await pages[0].waitForTimeout(300);
          diff = rasterDiff(...(await Promise.all(pages.map(canvasRaster))), 2);
        }
        roundings += diff.within;
        assert.equal(
          diff.count,
          0,
          `${zoomed ? 'zoomed in' : 'fitted'}, at ${t}: pixels differ at ${JSON.stringify(diff.first)}`
        );
        compared++;
      }
    }
    const [a, b] = await Promise.all(pages.map(canvasRaster));
    assert.ok(a.cellRedraws >= 4, `the panel repainted only cells several times (${a.cellRedraws}, ${a.cells} cells)`);
    assert.equal(b.cellRedraws, 0, 'the other panel always repainted all of its layer');
    assert.equal(compared, 16);
    test.diagnostic(
      `${roundings} pixels up to 2 levels apart over ${compared} comparisons; ${a.cells} cells repainted`
    );
    assert.deepEqual([...cells.errors, ...full.errors], []);
    await Promise.all(pages.map((p) => p.close()));
  });
});

/** Seeks to the end of the basic range (beta has failed, gamma has joined) and waits for the redraw. */
async function seekEnd(page) {
  await page.locator('[data-testid="hmx-track"]').focus();
  await page.keyboard.press('End');
  await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes="3"]');
  await page.waitForTimeout(300);
}

const shot = (page, name) =>
  page.locator('[data-testid="hmx-panel"]').screenshot({ path: join(ARTIFACTS, `${name}.png`) });

describe('a picture that explains itself', () => {
  for (const [name, query] of [
    ['dark', ''],
    ['light', 'theme=light'],
    ['high-contrast', 'hc=1'],
    ['high-contrast-light', 'hc=1&theme=light'],
  ]) {
    it(`${name}: a failed node's header stands apart from a healthy one's, and the legend says what it means`, async () => {
      const { page, errors } = await openPanel(host.context, host.server.url, query);
      await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
      await seekEnd(page);
      const header = async (id) => {
        const [x, y, w] = await debug(page, 'rectOf', id);
        const { scale } = await debug(page, 'view');
        // the header's right end: past the label, left of nothing else
        return (await pixels(page, x + w - 8, y + (22 * scale) / 2, 1, 1))[0][0];
      };
      const failed = await header('beta');
      const healthy = await header('alpha');
      const distance = Math.hypot(failed[0] - healthy[0], failed[1] - healthy[1], failed[2] - healthy[2]);
      assert.ok(distance > 120, `${name}: failed header ${failed} too close to healthy header ${healthy}`);
      assert.ok(failed[0] > failed[1] + 60, `${name}: failed header ${failed} is not red`);
      assert.equal(await page.locator('[data-testid="hmx-legend"]').count(), 0, 'the legend starts hidden');
      await page.locator('[data-testid="hmx-legend-toggle"]').click();
      const legend = await page.locator('[data-testid="hmx-legend"]').textContent();
      for (const term of ['actor running', 'unknown', 'exited', 'node failed', 'gone', 'messages/s', 'particles']) {
        assert.ok(legend.includes(term), `legend explains "${term}"`);
      }
      await shot(page, `${name}-failed-node-legend`);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  it('10k actors: zoomed out and in, what the level of detail leaves out is said where the user looks', async () => {
    const { page, errors } = await openPanel(host.context, host.server.url, 'scenario=bench&w=1400&h=820');
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]', { timeout: 60_000 });
    await page.waitForTimeout(500);
    const check = async (where) => {
      const stats = await page.evaluate(() => document.querySelector('[data-testid="hmx-canvas"]').hmx.stats);
      const note = page.locator('[data-testid="hmx-edge-note"]');
      if (stats.omittedEdges) {
        assert.match(
          await note.textContent(),
          new RegExp(`${stats.omittedEdges.toLocaleString('en-US')} quieter links not drawn`),
          where
        );
      } else if (stats.edgeMode === 'mixed') {
        assert.match(await note.textContent(), /summed per node pair/, where);
      } else {
        assert.equal(await note.count(), 0, `${where}: no note when every link is drawn`);
      }
      return stats;
    };
    const out = await check('zoomed out (fitted)');
    await shot(page, 'bench-10k-zoomed-out');
    for (let i = 0; i < 5; i++) {
      await page.locator('[data-testid="hmx-canvas-wrap"]').focus();
      await page.keyboard.press('+');
    }
    await page.waitForTimeout(600);
    const inside = await check('zoomed in');
    assert.ok(
      inside.actors > 0 && inside.actors < out.actors,
      `zoomed in shows fewer, larger actors (${inside.actors} of ${out.actors})`
    );
    await shot(page, 'bench-10k-zoomed-in');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
