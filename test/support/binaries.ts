import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in test/support/). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const builderManifest = join(repoRoot, 'otel-config', 'builder-config.yaml');

const SETUP_HINT = 'run `bash scripts/setup/test-deps.sh` from the repository root first';

export class MissingBinaryError extends Error {
  constructor(what: string, looked: string) {
    super(`${what} not found (looked for ${looked}); ${SETUP_HINT}`);
    this.name = 'MissingBinaryError';
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable named `name` on PATH (or undefined). */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function firstOnPath(what: string, names: string[]): string {
  for (const name of names) {
    const found = which(name);
    if (found) return found;
  }
  throw new MissingBinaryError(what, names.join(', ') + ' on PATH');
}

/**
 * Where scripts/setup/test-deps.sh caches the collector built by ocb:
 * ${XDG_CACHE_HOME:-$HOME/.cache}/hmx-mission-control/otelcol-<sha256(builder-config.yaml)[0:16]>/otelcol-hmx
 */
export function otelcolCachePath(): string {
  const hash = createHash('sha256').update(readFileSync(builderManifest)).digest('hex').slice(0, 16);
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheRoot, 'hmx-mission-control', `otelcol-${hash}`, 'otelcol-hmx');
}

/** The OpenTelemetry Collector built from otel-config/builder-config.yaml. */
export function otelcolBinary(): string {
  const path = otelcolCachePath();
  if (!isExecutable(path)) throw new MissingBinaryError('the OpenTelemetry Collector built by ocb', path);
  return path;
}

/** Debian package `prometheus` (/usr/bin/prometheus). */
export function prometheusBinary(): string {
  return firstOnPath('prometheus', ['prometheus']);
}

/** Debian package `prometheus-node-exporter` (/usr/bin/prometheus-node-exporter). */
export function nodeExporterBinary(): string {
  return firstOnPath('node_exporter', ['prometheus-node-exporter', 'node_exporter']);
}

/** Debian package `chromium`. */
export function chromiumBinary(): string {
  return firstOnPath('chromium', ['chromium', 'chromium-browser', 'google-chrome']);
}

/** Flags for headless Chromium when running as root in CI (pass a fresh --user-data-dir as well). */
export const chromiumHeadlessFlags: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
