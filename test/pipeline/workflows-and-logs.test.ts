/**
 * Observer deployments become one trace per run (stable ids, stages as child spans) and tailed daemon recovery logs
 * become log records under the daemon's own resource — through the real OTel Collector's OTLP output.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TestOtelcol } from '../support/otelcol.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

let pipeline: TestPipeline;
let otelcol: TestOtelcol;
const dir = mkdtempSync(join(tmpdir(), 'hmx-workflows-'));
const logFile = join(dir, 'shadow.log');

before(async () => {
  for (const d of ['events', 'state', 'world']) mkdirSync(join(dir, d));
  writeFileSync(
    join(dir, 'events', '0001.jsonl'),
    [
      { timestamp: '2026-05-12T12:05:10Z', type: 'deployment_started', correlation_id: 'deploy-77', node: 'saturn', service: 'grafana' },
      { timestamp: '2026-05-12T12:05:20Z', type: 'deployment_stage', correlation_id: 'deploy-77', payload: { stage: 'pull', status: 'started' } },
      { timestamp: '2026-05-12T12:05:30Z', type: 'deployment_stage', correlation_id: 'deploy-77', payload: { stage: 'pull', status: 'succeeded' } },
      { timestamp: '2026-05-12T12:05:40Z', type: 'deployment_succeeded', correlation_id: 'deploy-77' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );
  writeFileSync(logFile, '');
  pipeline = await startPipeline({
    sources: {
      observer: { enabled: true, interval: '1s', eventsDir: join(dir, 'events'), stateDir: join(dir, 'state'), worldDir: join(dir, 'world'), repoDir: '' },
      harmonix: { enabled: true, interval: '1s', logs: [{ daemon: 'shadow-metrics', path: logFile, startAt: 'beginning' }], logPollMs: 100 },
    },
  });
  otelcol = pipeline.otelcol;
});

after(async () => {
  await pipeline?.stop();
});

test('a deployment run is one trace in the trace pipeline: the run as root, its stage as a child', async () => {
  const spans = await otelcol.waitForSpans((s) => s.attributes['hmx.correlation_id'] === 'deploy-77' && s.parentSpanId !== undefined && s.parentSpanId !== '');
  const run = (await otelcol.readSpans()).filter((s) => s.attributes['hmx.correlation_id'] === 'deploy-77');
  const root = run.find((s) => !s.parentSpanId);
  assert.ok(root, `root span among ${JSON.stringify(run.map((s) => s.name))}`);
  assert.ok(
    run.every((s) => s.traceId === root!.traceId),
    'one trace',
  );
  assert.ok(spans.length >= 1);
});

test('tailed recovery log lines arrive as log records with the daemon as resource', async () => {
  appendFileSync(logFile, 'ERROR recovery run 12 failed: probe timeout\n');
  const records = await otelcol.waitForLogRecords((r) => String(r.body).includes('recovery run 12'));
  const line = records.find((r) => String(r.body).includes('recovery run 12'))!;
  assert.equal(line.resource['hmx.actor.id'], 'hmx:shadow-metrics');
  assert.equal(line.severityText, 'ERROR');
});
