// Browser tests: the built dist/module.js loaded through an AMD loader with the real @grafana/*
// packages as externals, rendered in Debian's Chromium (playwright-core). Screenshots are kept in
// test/artifacts/panel/ and checked by pixel.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, debug, openPanel, hostPerFile } from './browser.mjs';

const host = hostPerFile();

/** Average RGB over a 3×3 patch of the panel canvas at CSS pixel (x, y). */
function pixel(page, x, y) {
  return page.evaluate(
    ([x, y]) => {
      const c = document.querySelector('[data-testid="hmx-canvas"]');
      const d = c.getContext('2d').getImageData(Math.round(x) - 1, Math.round(y) - 1, 3, 3).data;
      const out = [0, 0, 0];
      for (let i = 0; i < 9; i++) {
        out[0] += d[i * 4] / 9;
        out[1] += d[i * 4 + 1] / 9;
        out[2] += d[i * 4 + 2] / 9;
      }
      return out.map(Math.round);
    },
    [x, y]
  );
}

async function canvasBox(page) {
  return page.locator('[data-testid="hmx-canvas"]').boundingBox();
}

async function shot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.locator('[data-testid="hmx-panel"]').screenshot({ path });
  return path;
}

/** Seeks to the end of the range and waits until the canvas was redrawn for it (gamma has joined). */
async function seekEnd(page) {
  await page.locator('[data-testid="hmx-track"]').focus();
  await page.keyboard.press('End');
  await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes="3"]');
}

describe('panel in Chromium', () => {
  it('loads dist/module.js via AMD and draws a non-blank canvas', async () => {
    const { page, errors } = await openPanel(host.context, host.server.url);
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    const distinct = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="hmx-canvas"]');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < d.length; i += 4 * 97) {
        seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
      return seen.size;
    });
    assert.ok(distinct > 5, `canvas looks blank (${distinct} colours)`);
    assert.equal(
      await page.locator('[data-testid="hmx-canvas"]').getAttribute('data-nodes'),
      '2',
      'alpha and beta at the start; gamma joins later'
    );
    await shot(page, 'dark-start');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('as in Grafana (no probe set), the canvas carries no test hooks', async () => {
    const { page, errors } = await openPanel(host.context, host.server.url, 'hooks=0');
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    assert.equal(await page.evaluate(() => 'hmx' in document.querySelector('[data-testid="hmx-canvas"]')), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the shipped bundle holds none of the test hooks (they are installed from the test host)', () => {
    const bundle = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'module.js'), 'utf8');
    for (const name of ['__hmx', 'canvasHooks', 'frameMs', 'flowingEdges', 'getImageData']) {
      assert.equal(bundle.includes(name), false, `dist/module.js contains ${name}`);
    }
    assert.match(bundle, /setCanvasProbe/, 'the probe registration point is exported');
  });

  it('draws running actors green, a failed node red-tinted, and a late actor only after it spawns', async () => {
    // particles off: a moving particle over a sampled pixel would make colour checks flaky
    const { page } = await openPanel(host.context, host.server.url, 'particles=0');
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    const [ax, ay] = await debug(page, 'screenOf', 'alpha-w0', 'actor');
    const [r, g, b] = await pixel(page, ax, ay);
    assert.ok(g > r + 40 && g > b, `running actor should be green, got ${[r, g, b]}`);
    const [lx, ly] = await debug(page, 'screenOf', 'late-actor', 'actor');
    const before = await pixel(page, lx, ly);
    assert.ok(!(before[1] > before[0] + 40), `late actor must not be drawn before it spawns, got ${before}`);
    const healthy = await debug(page, 'rectOf', 'beta');
    const hb = await pixel(page, healthy[0] + healthy[2] - 6, healthy[1] + healthy[3] - 6);
    await seekEnd(page);
    const after = await pixel(page, lx, ly);
    assert.ok(after[1] > after[0] + 40, `late actor drawn green after spawning, got ${after}`);
    const [bx, by, bw, bh] = await debug(page, 'rectOf', 'beta');
    const fb = await pixel(page, bx + bw - 6, by + bh - 6);
    assert.ok(
      fb[0] > fb[1] + 15 && fb[0] > hb[0],
      `failed node interior should be red-tinted: before ${hb}, after ${fb}`
    );
    assert.equal(await page.locator('[data-testid="hmx-canvas"]').getAttribute('data-nodes'), '3');
    await shot(page, 'dark-end-failed-node');
    await page.close();
  });

  it('hover shows counts and rates as text; click opens details with Explore links', async () => {
    const { page } = await openPanel(host.context, host.server.url);
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    const box = await canvasBox(page);
    const [ax, ay] = await debug(page, 'screenOf', 'alpha-w0', 'actor');
    await page.mouse.move(box.x + ax, box.y + ay);
    const tip = page.locator('[data-testid="hmx-tooltip"]');
    await tip.waitFor();
    const text = await tip.textContent();
    assert.match(text, /alpha-w0/);
    assert.match(text, /Out: 50\.0\/s/);
    await page.mouse.click(box.x + ax, box.y + ay);
    const links = page.locator('[data-testid="hmx-details"] a');
    assert.equal(await links.count(), 2);
    const href = decodeURIComponent(await links.first().getAttribute('href'));
    assert.match(href, /\/explore\?.*"uid":"tempo".*span\.hmx\.source\.actor\.id = \\"alpha-w0\\"/);
    await shot(page, 'dark-details');
    await page.close();
  });

  it('untrusted labels are text: an HTML label creates no element', async () => {
    const { page } = await openPanel(host.context, host.server.url);
    await page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    const [x, y, w] = await debug(page, 'rectOf', 'alpha');
    const box = await canvasBox(page);
    await page.mouse.move(box.x + x + w - 4, box.y + y + 4);
    await page.locator('[data-testid="hmx-tooltip"]').waitFor();
    assert.match(await page.locator('[data-testid="hmx-tooltip"]').textContent(), /alpha <b>bold<\/b>/);
    assert.equal(await page.locator('[data-testid="hmx-panel"] b').count(), 0);
    await page.close();
  });

  it('scrubbing the playhead moves it and publishes the shared crosshair', async () => {
    const { page } = await openPanel(host.context, host.server.url);
    const track = page.locator('[data-testid="hmx-track"]');
    const tb = await track.boundingBox();
    await page.mouse.move(tb.x + 1, tb.y + 13);
    await page.mouse.down();
    await page.mouse.move(tb.x + tb.width / 2, tb.y + 13, { steps: 5 });
    await page.mouse.up();
    const now = Number(await track.getAttribute('aria-valuenow'));
    const info = await page.evaluate(() => window.__hmx.info);
    assert.ok(Math.abs(now - (info.failAt - 0)) < 5 * 60_000, `playhead near the middle, got ${now}`);
    const hovers = await page.evaluate(() => window.__hmx.hovers);
    assert.ok(hovers.length >= 2);
    assert.equal(hovers[hovers.length - 1], now);
    await page.close();
  });

  it('play advances the playhead; drag-select zooms the dashboard range', async () => {
    const { page } = await openPanel(host.context, host.server.url);
    const track = page.locator('[data-testid="hmx-track"]');
    const start = Number(await track.getAttribute('aria-valuenow'));
    await page.getByRole('radio', { name: '600×', exact: true }).click();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(1200);
    await page.getByRole('button', { name: 'Pause' }).click();
    const played = Number(await track.getAttribute('aria-valuenow'));
    assert.ok(played > start + 60_000, `played from ${start} to ${played}`);
    const tb = await track.boundingBox();
    await page.mouse.move(tb.x + tb.width * 0.6, tb.y + 13);
    await page.mouse.down();
    await page.mouse.move(tb.x + tb.width * 0.8, tb.y + 13, { steps: 4 });
    await page.mouse.up();
    const ranges = await page.evaluate(() => window.__hmx.ranges);
    assert.equal(ranges.length, 1);
    assert.ok(
      ranges[0].to - ranges[0].from > 10 * 60_000 && ranges[0].to - ranges[0].from < 14 * 60_000,
      JSON.stringify(ranges)
    );
    await page.close();
  });

  it('light theme and high contrast use their own colours', async () => {
    const light = await openPanel(host.context, host.server.url, 'theme=light&particles=0');
    await light.page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    const [lx, ly, lw] = await debug(light.page, 'rectOf', 'alpha');
    const lbg = await pixel(light.page, lx + lw - 4, ly + 4);
    assert.ok(lbg[0] > 200 && lbg[1] > 200 && lbg[2] > 200, `light node fill is light, got ${lbg}`);
    await shot(light.page, 'light');
    await light.page.close();
    const hc = await openPanel(host.context, host.server.url, 'hc=1&particles=0');
    await hc.page.waitForSelector('[data-testid="hmx-canvas"][data-nodes]');
    const [ax, ay] = await debug(hc.page, 'screenOf', 'alpha-w0', 'actor');
    assert.deepEqual(await pixel(hc.page, ax, ay), [0, 255, 102]);
    await shot(hc.page, 'high-contrast');
    await hc.page.close();
  });

  it('empty data shows a specific message, not a blank panel', async () => {
    const { page } = await openPanel(host.context, host.server.url, 'scenario=empty');
    const msg = page.locator('[data-testid="hmx-message"]');
    await msg.waitFor();
    assert.match(await msg.textContent(), /No data\. Expected queries with refIds "nodes"/);
    await page.close();
  });

  it('keyboard: Tab to the canvas, arrows and Enter move the focus ring and announce it', async () => {
    const { page } = await openPanel(host.context, host.server.url);
    await page.locator('[data-testid="hmx-canvas-wrap"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const said = await page.locator('[data-testid="hmx-announcer"]').textContent();
    assert.match(said, /^actor alpha-w\d, running/);
    await page.close();
  });
});
