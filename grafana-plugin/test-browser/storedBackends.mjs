// The fixtures of the stored-data path (child processes: storedFixture.mts — fake Loki + fake /api/ds/query + a
// generated history; liveFixture.mts — the live path through real processes) and a same-origin forwarder for the
// host page's POST /api/ds/query.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPanel } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts a fixture script of this folder (a child process that prints one JSON line once it is up); resolves
 * with what it printed and stop(). */
export function startFixture(script, args = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), ...args], {
    cwd: join(here, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const info = JSON.parse(line);
      const exited = new Promise((r) => child.once('exit', r));
      resolve({ ...info, stop: () => (child.kill('SIGTERM'), exited) });
    });
  });
}

/** Starts the stored-data fixture with the given flags; resolves with its printed description, its truth and stop(). */
export async function startStoredFixture(args) {
  const info = await startFixture('storedFixture.mts', args);
  const truth = JSON.parse(readFileSync(info.truth, 'utf8'));
  rmSync(info.truth, { force: true });
  return { ...info, truth };
}

/** A startServer() `extra` handler forwarding /api/ds/query to the fake Grafana at `target`. */
export function forwardDsQuery(target) {
  return (req, res) => {
    if (!(req.url ?? '').startsWith('/api/ds/query')) {
      return false;
    }
    const up = request(target + req.url, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(up);
    return true;
  };
}

/** The host page's query for the stored scenario over [from, to), its clock at the fixture's "now". */
export function storedQuery(fixture, from, to) {
  return `scenario=stored&from=${from}&to=${to}&now=${fixture.now}`;
}

/** Opens the panel over the stored fixture's whole range and waits until its summary reads `summary`. */
export async function openStoredPanel(context, serverUrl, fixture, summary) {
  const opened = await openPanel(context, serverUrl, storedQuery(fixture, fixture.from, fixture.now));
  await opened.page.waitForFunction(
    (want) => document.querySelector('[data-testid="hmx-summary"]')?.textContent?.includes(want),
    summary,
    {
      timeout: 60_000,
    }
  );
  return opened;
}

/** One seek as the panel does it, compared in the page with the fixture's truth at instant `x` (host.storedCheck). */
export function checkStoredInstant(page, fixture, x) {
  return page.evaluate(
    ([t, ids, s, rs]) => window.__hmx.storedCheck(t, ids, s, rs),
    [x.t, fixture.truth.entityIds, x.states, x.restarts]
  );
}
