// `node --import tsx test-browser/liveFixture.mts`: the live data path for bench:live, every hop a real process or a
// protocol-faithful fake — hmx-collector (`run`, flight recorder on: the shipped default) → the real OpenTelemetry
// Collector (otel-config/collector.yaml, its logs pipeline exporting to Loki's OTLP endpoint) → the fake Loki →
// the fake /api/ds/query the panel queries. Real clocks throughout. Prints one line: {"grafana", "collector"}.
// Stops everything on SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLoki } from '../../test/support/fake-loki/server.js';
import { startFakeGrafana } from '../../test/support/fake-grafana/server.js';
import { TestOtelcol } from '../../test/support/otelcol.js';
import { freePort } from '../../test/support/ports.js';
import { httpProbe, startProcess } from '../../test/support/process.js';
import { repoRoot } from '../../test/support/binaries.js';

const loki = await startFakeLoki({});
const grafana = await startFakeGrafana({ datasources: { loki: { type: 'loki', url: loki.url } } });
const otelcol = await TestOtelcol.start({
  // metrics are not part of this path; their remote write has nowhere to go and is retried in the background
  prometheusRemoteWriteUrl: 'http://127.0.0.1:9/api/v1/write',
  extraConfig: {
    // The fake Loki reads OTLP/JSON only (real Loki takes protobuf too): same content, other encoding.
    exporters: { 'otlp_http/loki': { endpoint: `${loki.url}/otlp`, encoding: 'json' } },
    service: { pipelines: { logs: { exporters: ['otlp_http/loki'] } } },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'hmx-live-bench-'));
const port = await freePort();
const config = join(dir, 'collector.yaml');
writeFileSync(
  config,
  [
    `listen: 127.0.0.1:${port}`,
    `otlp: { endpoint: "${otelcol.otlpHttpUrl}", metricInterval: 60s }`,
    'sources: { os: { enabled: false }, hardware: { enabled: false } }',
    `recorder: { dir: "${join(dir, 'archive')}" }`,
    '',
  ].join('\n')
);
const collector = await startProcess({
  name: 'hmx-collector',
  // The hmx-collector command as shipped (its V8 flags, the bundle `npm run build` writes).
  command: join(repoRoot, 'collector/bin/hmx-collector.mjs'),
  args: ['run', '--config', config],
  env: { ...process.env, HMX_LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: '' },
  ready: httpProbe(`http://127.0.0.1:${port}/healthz`),
});

console.log(JSON.stringify({ grafana: grafana.url, loki: loki.url, collector: `http://127.0.0.1:${port}` }));
process.on('SIGTERM', () => {
  void (async () => {
    await collector.stop();
    await otelcol.close();
    await Promise.all([grafana.close(), loki.close()]);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  })();
});
