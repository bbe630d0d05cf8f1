/**
 * The real pipeline: hmx-collector (host sources, 1 s cadence) → the ocb-built OTel Collector → a real Prometheus.
 * Asserts names, units, labels and values against what the kernel itself says.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Collector } from '../../collector/src/app.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestOtelcol } from '../support/otelcol.js';
import type { TestPrometheus } from '../support/prometheus.js';
import { parseMeminfo } from '../../collector/src/sources/os/procfs.js';

let pipeline: TestPipeline;
let prom: TestPrometheus;
let otelcol: TestOtelcol;
let collector: Collector;

before(async () => {
  pipeline = await startPipeline({ sources: { os: { enabled: true, interval: '1s' }, hardware: { enabled: true, interval: '1s' } } });
  ({ prom, otelcol, collector } = pipeline);
});

after(async () => {
  await pipeline?.stop();
});

const host = () => collector.hostNodeId.slice('host:'.length);

test("memory series arrive with semconv names, resource labels and the kernel's values", async () => {
  const [limit] = await prom.waitFor(`system_memory_limit_bytes{host_name="${host()}"}`);
  const meminfo = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
  assert.equal(limit!.value, meminfo.MemTotal, 'limit equals MemTotal exactly');
  assert.equal(limit!.metric.job, 'hmx-collector', 'job from service.name');
  assert.ok(limit!.metric.instance, 'instance from service.instance.id');
  const used = await prom.waitFor(`system_memory_usage_bytes{system_memory_state="used", host_name="${host()}"}`);
  const nowUsed = meminfo.MemTotal! - meminfo.MemFree! - (meminfo.Buffers ?? 0) - (meminfo.Cached ?? 0) - (meminfo.SReclaimable ?? 0);
  assert.ok(Math.abs(used[0]!.value - nowUsed) < 0.1 * meminfo.MemTotal!, `used ${used[0]!.value} vs /proc ${nowUsed}`);
  const ratio = await prom.waitFor(`sum(system_memory_utilization_ratio{system_memory_state=~"used|free|buffers|cached", host_name="${host()}"})`);
  assert.ok(Math.abs(ratio[0]!.value - 1) < 0.01, `utilization of the four states sums to 1 (${ratio[0]!.value})`);
});

test('CPU, load, uptime, disk, filesystem and network series are plausible', async () => {
  const cpu = await prom.waitFor(`sum(system_cpu_utilization_ratio{host_name="${host()}"})`);
  assert.ok(Math.abs(cpu[0]!.value - 1) < 0.01, 'cpu utilization over modes sums to 1');
  const modes = await prom.query(`system_cpu_time_seconds_total{host_name="${host()}"}`);
  assert.deepEqual(modes.map((s) => s.metric.cpu_mode).sort(), ['idle', 'interrupt', 'iowait', 'nice', 'steal', 'system', 'user']);
  const [load] = await prom.waitFor(`system_cpu_load_average_1m{host_name="${host()}"}`);
  assert.ok(load!.value >= 0);
  const [uptime] = await prom.waitFor(`system_uptime_seconds{host_name="${host()}"}`);
  const procUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  assert.ok(uptime!.value > 0 && uptime!.value <= procUptime + 1, `uptime ${uptime!.value} ≤ /proc/uptime ${procUptime}`);
  const net = await prom.waitFor(`system_network_io_bytes_total{host_name="${host()}"}`);
  assert.ok(net.every((s) => ['receive', 'transmit'].includes(s.metric.network_io_direction!)));
  const fs = await prom.waitFor(`system_filesystem_usage_bytes{system_filesystem_mountpoint="/", host_name="${host()}"}`);
  assert.deepEqual(fs.map((s) => s.metric.system_filesystem_state).sort(), ['free', 'reserved', 'used']);
  const disks = await prom.query(`system_disk_io_bytes_total{host_name="${host()}"}`);
  assert.ok(disks.length > 0, 'disk io series present');
});

test('hardware series exist exactly when the host has the sensors', async () => {
  const root = '/sys/class/hwmon';
  const sensors = (existsSync(root) ? readdirSync(root) : []).flatMap((chip) =>
    readdirSync(`${root}/${chip}`)
      .filter((f) => /^temp\d+_input$/.test(f))
      .map((f) => `${chip}_${f.replace('_input', '')}`),
  );
  await prom.waitFor(`hmx_collector_source_up{hmx_source="hardware"} == 1`);
  await prom.waitFor(`hmx_collector_collection_duration_seconds_count{hmx_source="hardware"} > 1`);
  const temps = await prom.query(`hw_temperature_celsius{host_name="${host()}"}`);
  if (sensors.length > 0) {
    assert.deepEqual(temps.map((s) => s.metric.hw_id).sort(), sensors.sort(), 'one series per hwmon temperature input');
  } else {
    assert.equal(temps.length, 0, 'no sensor → no series (never a fake zero)');
  }
});

test('self-metrics and the host node reach Prometheus; the host node.joined log record reaches the log pipeline', async () => {
  await prom.waitFor(`hmx_collector_source_up{hmx_source="os", host_name="${host()}"} == 1`);
  const [node] = await prom.waitFor(`hmx_node_up{hmx_node_id="host:${host()}"}`);
  assert.equal(node!.value, 1);
  await prom.waitFor(`hmx_collector_collection_duration_seconds_count{hmx_source="os"} > 0`);
  const logs = await otelcol.waitForLogRecords((r) => r.attributes['event.name'] === 'hmx.node.joined');
  const record = logs.find((r) => r.attributes['event.name'] === 'hmx.node.joined')!;
  const body = JSON.parse(String(record.body)) as { node: { id: string } };
  assert.equal(body.node.id, `host:${host()}`);
});
