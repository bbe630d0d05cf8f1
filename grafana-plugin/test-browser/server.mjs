// Static server for the browser host page: / (host page), /host.js (host bundle), /dist/* (built plugin).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const TYPES = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** The host bundles: the default (this package's @grafana/* 13.1 on React 18) and react19 (react19/: the newest
 * @grafana/* on React 19, as Grafana 13.2+ supplies them), each with the icon set of its own @grafana/ui. */
const HOSTS = {
  default: { bundle: join(here, '.build', 'host.js'), modules: join(root, 'node_modules') },
  react19: { bundle: join(here, '.build-react19', 'host.js'), modules: join(here, 'react19', 'node_modules') },
};

function resolvePath(url, host) {
  const p = normalize(decodeURIComponent(new URL(url, 'http://x').pathname));
  if (p === '/' || p === '/index.html') {
    return join(here, 'host', 'index.html');
  }
  if (p === '/host.js') {
    return host.bundle;
  }
  if (p.startsWith('/public/build/img/icons/') && !p.includes('..')) {
    // Grafana serves the @grafana/ui icon set here; the host serves the same files from the package
    return join(
      host.modules,
      '@grafana',
      'ui',
      'dist',
      'public',
      'img',
      'icons',
      p.slice('/public/build/img/icons/'.length)
    );
  }
  if (p.startsWith('/dist/') && !p.includes('..')) {
    return join(root, p);
  }
  return undefined;
}

/** Starts the server on 127.0.0.1 and an ephemeral port (or `port`); `flavour` picks the host bundle (HOSTS). */
export async function startServer(port = 0, extra = undefined, flavour = 'default') {
  const host = HOSTS[flavour];
  if (!host) {
    throw new Error(`unknown host flavour '${flavour}' (one of ${Object.keys(HOSTS).join(', ')})`);
  }
  const server = createServer(async (req, res) => {
    if (extra && (await extra(req, res))) {
      return;
    }
    const file = resolvePath(req.url ?? '/', host);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(file);
      res
        .writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        .end(body);
    } catch {
      res
        .writeHead(404)
        .end(`missing ${file}: run npm run build and npm run build:host (build:host:react19 for the React 19 host)`);
    }
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const { port: p } = server.address();
  return { url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => server.close(r)) };
}
