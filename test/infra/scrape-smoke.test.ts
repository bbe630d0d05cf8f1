/** Smoke test: a real Prometheus scraping the Debian node_exporter, both started by the harness. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { TestNodeExporter } from '../support/node-exporter.js';
import { TestPrometheus } from '../support/prometheus.js';

describe('scrape smoke: Prometheus → node_exporter', () => {
  let exporter: TestNodeExporter;
  let prom: TestPrometheus;

  before(async () => {
    exporter = await TestNodeExporter.start(['--collector.disable-defaults', '--collector.meminfo', '--collector.loadavg']);
    prom = await TestPrometheus.start({ scrapeTargets: [{ job: 'node', targets: [exporter.target] }] });
  });

  after(async () => {
    await prom?.stop();
    await exporter?.stop();
  });

  it('scrapes node_exporter and reports MemTotal as /proc/meminfo does', async () => {
    const [up] = await prom.waitFor('up{job="node"}', (s) => s[0]?.value === 1);
    assert.equal(up?.metric.instance, exporter.target);
    const meminfo = await readFile('/proc/meminfo', 'utf8');
    const kib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(meminfo)?.[1]);
    assert.ok(kib > 0, 'MemTotal readable from /proc/meminfo');
    const [total] = await prom.waitFor('node_memory_MemTotal_bytes{job="node"}');
    assert.equal(total?.value, kib * 1024);
  });

  it('answers range queries and reports PromQL errors with the expression', async () => {
    await prom.waitFor('node_load1');
    const end = new Date();
    const series = await prom.queryRange('node_load1', new Date(end.getTime() - 60_000), end, 1);
    assert.equal(series.length, 1);
    assert.ok((series[0]?.values.length ?? 0) > 0);
    await assert.rejects(prom.query('sum(('), /bad_data/);
  });
});
