// The stored-data fixture (storedFixture.mts, a child process: fake Loki + fake /api/ds/query + a
// generated history) and a same-origin forwarder for the host page's POST /api/ds/query.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts the fixture with the given flags; resolves with its printed description, its truth and stop(). */
export function startStoredFixture(args) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'storedFixture.mts'), ...args], { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`storedFixture exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const info = JSON.parse(line);
      const truth = JSON.parse(readFileSync(info.truth, 'utf8'));
      rmSync(info.truth, { force: true });
      resolve({ ...info, truth, stop: () => child.kill('SIGTERM') });
    });
  });
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
