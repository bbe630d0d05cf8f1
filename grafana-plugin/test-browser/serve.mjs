// npm start (in grafana-plugin/): serves the panel host page fed with the live topology of a running
// collector (default http://127.0.0.1:9464, override with HMX_COLLECTOR_URL), for people without Grafana.
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

/** Proxies GET /collector/* to the collector (same origin for the page, read-only). */
function proxy(collector, req, res) {
  if (!req.url?.startsWith('/collector/')) {
    return false;
  }
  if (req.method !== 'GET') {
    res.writeHead(405).end('read-only proxy');
    return true;
  }
  const upstream = request(
    {
      hostname: collector.hostname,
      port: collector.port,
      path: req.url.slice('/collector'.length),
      method: 'GET',
      timeout: 5000,
    },
    (r) => {
      res.writeHead(r.statusCode ?? 502, { 'content-type': r.headers['content-type'] ?? 'application/json' });
      r.pipe(res);
    }
  );
  upstream.on('error', (e) => {
    if (!res.headersSent) {
      res.writeHead(502).end(JSON.stringify({ error: e.message }));
    }
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.end();
  return true;
}

/** Starts the preview server (127.0.0.1, `port` or ephemeral) proxying to `collectorUrl`. */
export async function startPreview(collectorUrl, port = 0) {
  const collector = new URL(collectorUrl);
  return startServer(port, async (req, res) => proxy(collector, req, res));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const collectorUrl = process.env.HMX_COLLECTOR_URL ?? 'http://127.0.0.1:9464';
  const server = await startPreview(collectorUrl, Number(process.env.PORT ?? 0));
  console.log(`Mission Control panel preview: ${server.url}/?scenario=live  (collector ${collectorUrl})`);
  console.log(
    `Static demo scenario:          ${server.url}/?scenario=basic   light theme: &theme=light   high contrast: &hc=1`
  );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
