// Launches Debian's Chromium through playwright-core with the flags the team uses as root.
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS =
  process.env.HMX_ARTIFACTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'artifacts', 'panel');

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'hmx-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-precise-memory-info',
    ],
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return context;
}

/** Opens the host page and waits for the panel to be ready (or fails with the host error). */
export async function openPanel(context, baseUrl, query = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${baseUrl}/?${query}`);
  await page.waitForFunction(() => window.__hmx && (window.__hmx.ready || window.__hmx.error), null, {
    timeout: 60_000,
  });
  const err = await page.evaluate(() => window.__hmx.error);
  if (err) {
    throw new Error(`host failed: ${err}`);
  }
  return { page, errors };
}

/** Starts the host page server and Chromium before a test file's tests and stops them after: { server, context }. */
export function hostPerFile() {
  const host = {};
  before(async () => {
    host.server = await startServer();
    host.context = await launch();
  });
  after(async () => {
    await host.context?.close();
    await host.server?.close();
  });
  return host;
}

/** Calls one of the canvas's read-only harness hooks (CanvasDebug, host/canvasHooks.ts) in the page. */
export const debug = (page, fn, ...args) =>
  page.evaluate(([fn, args]) => document.querySelector('[data-testid="hmx-canvas"]').hmx[fn](...args), [fn, args]);
