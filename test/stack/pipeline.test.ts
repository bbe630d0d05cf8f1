// The real pipeline behind the provisioned dashboards and alert rules:
//   demo mesh (real node processes, SDK) ─┐
//   harmonix source ← fake HMX daemon     │
//   kubernetes source ← fake API server   ├─► hmx-collector (startCollector) ─OTLP─► otelcol (ocb build of
//   observer source ← events directory    │   otel-config/collector.yaml) ─remote write─► Prometheus
//   akash source ← fake CometBFT RPC + gateway │
//   os source (this host)                ─┘   (+ Prometheus scrapes the collector's /metrics directly)
// Every PromQL expression of the dashboards and rules runs in that Prometheus; each alert rule's query A
// is driven across its threshold by a real fault and (where its window allows within the test) back.
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { startCollector, type Collector } from '../../collector/src/app.js';
import { buildConfig } from '../../collector/src/config/load.js';
import { silentLogger } from '../../collector/src/core/logger.js';
import { startDemo, type DemoHandle } from '../../collector/src/demo/index.js';
import { builtinSources } from '../../collector/src/sources/index.js';
import { FakeComet } from '../../collector/test/sources/akash/fake-comet.js';
import { FakeGateway, providerStatus, selfSignedCertificate } from '../../collector/test/sources/akash/fake-gateway.js';
import { FakeDaemon } from '../../collector/test/sources/harmonix/fake-daemon.js';
import { PROVIDER, seedMarket } from '../../collector/test/sources/akash/helpers.js';
import { FakeApiServer } from '../../collector/test/sources/kubernetes/fake-apiserver.js';
import { kubeconfigFor } from '../../collector/test/sources/kubernetes/harness.js';
import { repoRoot } from '../support/binaries.js';
import type { ReadLogRecord, ReadSpan } from '../support/otlp-json.js';
import { TestOtelcol } from '../support/otelcol.js';
import { freePort } from '../support/ports.js';
import { TestPrometheus, type PromSample } from '../support/prometheus.js';
import { pollUntil } from '../support/wait.js';
import { faultyControl, faultySource } from './faulty-source.js';
import { allQueries, allRules, crosses, interpolate, ruleExpr, type Rule } from './provisioning.js';

let prom: TestPrometheus;
let otelcol: TestOtelcol;
let daemon: FakeDaemon;
let apiserver: FakeApiServer;
let chain: FakeComet;
let gateway: FakeGateway;
let collector: Collector;
let demo: DemoHandle;
let dir: string;
let eventsFile: string;

const rules = new Map(allRules().map((r) => [r.uid, r]));
const rule = (uid: string): Rule => {
  const r = rules.get(uid);
  assert.ok(r, `rule ${uid} is provisioned`);
  return r;
};

/** Waits until rule `uid`'s query A has a series matching `match` whose value crosses (or no longer crosses) the threshold. */
async function waitRule(uid: string, match: Record<string, string>, firing: boolean, timeoutMs = 45_000): Promise<PromSample[]> {
  const r = rule(uid);
  const selected = (s: PromSample[]) => s.filter((x) => Object.entries(match).every(([k, v]) => x.metric[k] === v));
  return prom.waitFor(
    ruleExpr(r),
    (samples) => {
      const mine = selected(samples);
      return firing ? mine.some((x) => crosses(r, x.value)) : mine.length > 0 && mine.every((x) => !crosses(r, x.value));
    },
    timeoutMs,
  );
}

const node = (name: string, ready: 'True' | 'False') => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
  status: {
    allocatable: { cpu: '2', memory: '2Gi' },
    conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', lastTransitionTime: new Date().toISOString() }],
  },
});
const pod = (restartCount: number, ready: boolean) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'api-0', namespace: 'harmonix', uid: 'uid-api-0', creationTimestamp: '2026-01-01T00:01:00Z' },
  spec: { nodeName: 'node-a', containers: [{ name: 'api', image: 'ghcr.io/harmonix/api:0.9.1' }] },
  status: {
    phase: 'Running',
    startTime: '2026-01-01T00:01:05Z',
    containerStatuses: [
      ready
        ? { name: 'api', ready: true, restartCount, state: { running: { startedAt: new Date().toISOString() } } }
        : {
            name: 'api',
            ready: false,
            restartCount,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date().toISOString() } },
          },
    ],
  },
});

/** The provider gateway's /status with `leases` active leases. */
const gatewayStatus = (leases: number) => {
  const status = providerStatus(PROVIDER);
  return JSON.stringify({ ...status, cluster: { ...status.cluster, leases } });
};

const observerEvent = (type: string, extra: Record<string, unknown>) =>
  `${JSON.stringify({ timestamp: new Date().toISOString(), type, node: 'nas', service: 'jellyfin', ...extra })}\n`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hmx-stack-'));
  for (const d of ['events', 'state', 'world']) await mkdir(join(dir, d));
  eventsFile = join(dir, 'events', 'events-0001.jsonl');
  await writeFile(eventsFile, '');
  await writeFile(join(dir, 'kubeconfig'), '');
  const collectorPort = await freePort();
  // The direct scrape of the collector's /metrics exactly as stack/prometheus.yml configures it.
  const shipped = parseYaml(await readFile(join(repoRoot, 'stack', 'prometheus.yml'), 'utf8')) as {
    scrape_configs: Array<{ job_name: string; metric_relabel_configs?: Array<Record<string, unknown>> }>;
  };
  const selfJob = shipped.scrape_configs.find((j) => j.job_name === 'hmx-collector-self');
  assert.ok(selfJob?.metric_relabel_configs, 'stack/prometheus.yml scrapes the collector with metric_relabel_configs');
  prom = await TestPrometheus.start({
    scrapeTargets: [{ job: 'hmx-collector-self', targets: [`127.0.0.1:${collectorPort}`], metricRelabelConfigs: selfJob.metric_relabel_configs }],
  });
  otelcol = await TestOtelcol.start({ prometheusRemoteWriteUrl: prom.remoteWriteUrl });
  daemon = await new FakeDaemon('shadow-metrics', () => new Date()).start();
  apiserver = await new FakeApiServer().start();
  apiserver.add('nodes', node('node-a', 'True'));
  apiserver.add('pods', pod(0, true));
  await writeFile(join(dir, 'kubeconfig'), kubeconfigFor(apiserver.url));
  chain = await new FakeComet().start();
  seedMarket(chain);
  const cert = selfSignedCertificate('provider.example.test');
  gateway = await new FakeGateway(cert, PROVIDER).start();
  gateway.body = gatewayStatus(5);
  const config = buildConfig(
    [
      {
        listen: `127.0.0.1:${collectorPort}`,
        interval: '1s',
        otlp: { endpoint: otelcol.otlpHttpUrl, metricInterval: '1s' },
        sources: {
          os: { enabled: true, interval: '1s' },
          hardware: { enabled: false },
          // timeout < probe timeout: a stalled daemon makes the whole collection time out (source failing).
          harmonix: { enabled: true, interval: '1s', timeout: '1s', probeTimeoutMs: 30_000, daemons: [{ name: 'shadow-metrics', url: daemon.url }] },
          kubernetes: {
            enabled: true,
            interval: '1s',
            kubeconfig: join(dir, 'kubeconfig'),
            metricsServer: false,
            reconnectInitialMs: 100,
            reconnectMaxMs: 1000,
          },
          observer: { enabled: true, interval: '1s', eventsDir: join(dir, 'events'), stateDir: join(dir, 'state'), worldDir: join(dir, 'world') },
          // A round trip slower than 1 s is abandoned and the chain data served stale.
          akash: {
            enabled: true,
            interval: '1s',
            rpcUrl: chain.url,
            provider: PROVIDER,
            gatewayUrl: gateway.url,
            gatewayCertSha256: cert.fingerprint256,
            rpcLatencyThresholdMs: 1000,
            maxBackoffCycles: 0,
          },
          faulty: { enabled: true, interval: '1s' },
        },
      },
    ],
    [...builtinSources, faultySource],
  );
  collector = await startCollector(config, { logger: silentLogger() });
  demo = await startDemo({
    collectorUrl: collector.url,
    otlpEndpoint: otelcol.otlpHttpUrl,
    nodes: 2,
    actorsPerNode: 2,
    messageRateHz: 10,
    chaos: false,
    seed: 7,
    restartDelayMs: 12_000,
  });
});

after(async () => {
  await demo?.stop();
  await collector?.stop();
  await apiserver?.stop();
  await gateway?.stop();
  await chain?.stop();
  await daemon?.stop();
  await otelcol?.close();
  await prom?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('real pipeline: the provisioned queries and alert rules against real data', () => {
  it('the contract metrics of the Mission Control canvas arrive (nodes, actors, flows)', async () => {
    const nodes = await prom.waitFor('hmx_node_up{hmx_layer="mesh"}', (s) => s.length === 2 && s.every((x) => x.value === 1));
    // Stored once: through OTLP only (the direct scrape keeps just the self-health series).
    assert.ok(nodes.every((n) => n.metric.job === 'hmx-collector'));
    assert.ok((await prom.waitFor('hmx_collector_source_up{job="hmx-collector-self"}')).length >= 1);
    assert.deepEqual(nodes.map((n) => n.metric.hmx_node_id).sort(), ['mesh:node-1', 'mesh:node-2']);
    const actors = await prom.waitFor('hmx_actor_up{hmx_layer="mesh"} == 1', (s) => s.length === 4);
    assert.ok(actors.every((a) => a.metric.hmx_node_id?.startsWith('mesh:node-')));
    const flows = await prom.waitFor(
      'sum by (hmx_source_actor_id, hmx_destination_actor_id, hmx_source_node_id, hmx_destination_node_id) (rate(hmx_flow_messages_total[1m])) > 0',
    );
    assert.ok(flows.every((f) => f.metric.hmx_source_node_id?.startsWith('mesh:') && f.metric.hmx_destination_actor_id));
  });

  it('node down: killing a demo node process fires, its restart clears', async () => {
    const victim = demo.nodes().find((n) => n.name === 'node-1');
    assert.ok(victim?.pid, 'node-1 runs as its own process');
    process.kill(victim.pid, 'SIGKILL');
    const down = await waitRule('hmx-node-down', { hmx_node_id: 'mesh:node-1' }, true);
    assert.equal(down.find((s) => s.metric.hmx_node_id === 'mesh:node-1')?.value, 0);
    await waitRule('hmx-node-down', { hmx_node_id: 'mesh:node-1' }, false);
    // The failure reached the logs pipeline (Loki stand-in) with the attributes Loki keeps as structured metadata.
    const [failed] = await otelcol.waitForLogRecords((r) => r.attributes['event.name'] === 'hmx.node.failed' && r.attributes['hmx.node.id'] === 'mesh:node-1');
    assert.equal(failed?.resource['service.name'], 'hmx-collector');
  });

  it('actor restart storm: four crashes of one actor in ten minutes fire', async () => {
    await demo.whenAllUp(30_000);
    for (let i = 1; i <= 4; i++) {
      demo.crashActor('node-2', 'worker-1');
      await pollUntil(async () => ((await prom.query('hmx_actor_restarts_total{hmx_actor_id="mesh:node-2/worker-1"}'))[0]?.value ?? 0) >= i || undefined, {
        timeoutMs: 20_000,
        what: `restart ${i} of mesh:node-2/worker-1 in Prometheus`,
      });
    }
    const storm = await waitRule('hmx-actor-restart-storm', { hmx_actor_id: 'mesh:node-2/worker-1' }, true);
    assert.ok(storm.some((s) => s.metric.hmx_node_id === 'mesh:node-2'));
    // Clearing needs the 10-minute window to pass: not waited for here.
  });

  it('dissonance above 0.3: the fake daemon pushes 0.45 (fires, audit logged), then 0.1 (clears)', async () => {
    await waitRule('hmx-dissonance', { hmx_daemon_name: 'shadow-metrics' }, false);
    daemon.dissonance = 0.45;
    const high = await waitRule('hmx-dissonance', { hmx_daemon_name: 'shadow-metrics' }, true);
    assert.equal(high[0]?.metric.hmx_dissonance_source, 'auto-seed');
    const audits = await otelcol.waitForLogRecords((r) => r.attributes['event.name'] === 'hmx.audit' && String(r.body).includes('shadow-metrics'));
    assert.ok(audits.length >= 1);
    daemon.dissonance = 0.1;
    await waitRule('hmx-dissonance', { hmx_daemon_name: 'shadow-metrics' }, false);
  });

  it('active error incidents: an observer service_unhealthy (error) fires, service_recovered clears', async () => {
    await waitRule('hmx-incidents-error', {}, false);
    await appendFile(eventsFile, observerEvent('service_unhealthy', { severity: 'error', message: 'healthcheck failed 3 times' }));
    await waitRule('hmx-incidents-error', {}, true);
    await appendFile(eventsFile, observerEvent('service_recovered', { severity: 'info' }));
    await waitRule('hmx-incidents-error', {}, false);
  });

  it('kubernetes node NotReady fires and clears with the node condition', async () => {
    await waitRule('hmx-k8s-node-not-ready', { k8s_node_name: 'node-a' }, false);
    apiserver.modify('nodes', 'node-a', node('node-a', 'False'));
    await waitRule('hmx-k8s-node-not-ready', { k8s_node_name: 'node-a' }, true);
    apiserver.modify('nodes', 'node-a', node('node-a', 'True'));
    await waitRule('hmx-k8s-node-not-ready', { k8s_node_name: 'node-a' }, false);
  });

  it('pod CrashLoopBackOff: three container restarts fire', async () => {
    await waitRule('hmx-k8s-pod-crashloop', { k8s_pod_name: 'api-0' }, false);
    for (let n = 1; n <= 3; n++) {
      apiserver.modify('pods', 'harmonix/api-0', pod(n, false));
      await prom.waitFor(`k8s_container_restart_count{k8s_pod_name="api-0"} >= ${n}`);
    }
    await waitRule('hmx-k8s-pod-crashloop', { k8s_pod_name: 'api-0', k8s_container_name: 'api' }, true);
    apiserver.modify('pods', 'harmonix/api-0', pod(3, true));
    // Clearing needs the 10-minute window to pass: not waited for here.
  });

  it('Akash RPC slow or stale: a slow RPC node makes the chain data stale (fires), a fast one clears', async () => {
    await waitRule('hmx-akash-rpc', {}, false);
    chain.fault = { kind: 'slow', ms: 1500 };
    await waitRule('hmx-akash-rpc', {}, true);
    // A slow answer is measured, not failed; a node answering 503 fails reads, so the read-failure counter appears.
    chain.fault = { kind: 'down' };
    await prom.waitFor('hmx_akash_read_failures_total{akash_part="chain"} > 0');
    chain.fault = undefined;
    await waitRule('hmx-akash-rpc', {}, false);
  });

  it('Akash provider lease drop: 5 → 2 active leases fires, back to 5 clears', async () => {
    await waitRule('hmx-akash-lease-drop', { akash_provider: PROVIDER }, false);
    gateway.body = gatewayStatus(2);
    const drop = await waitRule('hmx-akash-lease-drop', { akash_provider: PROVIDER }, true);
    assert.ok(drop.some((s) => s.value >= 0.5));
    gateway.body = gatewayStatus(5);
    await waitRule('hmx-akash-lease-drop', { akash_provider: PROVIDER }, false);
  });

  it('collector dropping records: a source reporting an undeclared metric fires', async () => {
    faultyControl.broken = true;
    const dropped = await waitRule('hmx-collector-frames-dropped', { hmx_source: 'faulty' }, true);
    assert.ok(dropped.some((s) => s.metric.hmx_drop_reason));
    faultyControl.broken = false;
  });

  it('collector source failing: a stalled daemon times the harmonix source out (fires), its answer clears', async () => {
    await waitRule('hmx-collector-source-failing', { hmx_source: 'harmonix' }, false);
    daemon.mode = 'hang';
    await waitRule('hmx-collector-source-failing', { hmx_source: 'harmonix' }, true);
    daemon.resume();
    // After the circuit breaker's cooldown (30 s) one trial collection succeeds.
    await waitRule('hmx-collector-source-failing', { hmx_source: 'harmonix' }, false, 90_000);
  });

  it('every LogQL query selects lifecycle records the pipeline really exported (Loki mapping: attributes → structured metadata)', async () => {
    // Before the OTLP outage test: restarting the OTel Collector starts a fresh export file.
    const records = await otelcol.readLogRecords();
    const logql = allQueries().filter((q) => q.language === 'logql');
    assert.ok(logql.length >= 5);
    for (const q of logql) {
      const selected = records.filter((r) => selectedBy(q.expr, r));
      assert.ok(selected.length > 0, `${q.file} ${q.where}: ${q.expr} selects none of ${records.length} exported records`);
    }
  });

  it('every TraceQL query selects spans the pipeline really exported (Tempo stand-in)', async () => {
    // One finished deployment run in the observer's events: exported as a workflow trace (root span "deployment jellyfin").
    const run = { correlation_id: 'deploy-stack-1' };
    await appendFile(
      eventsFile,
      [
        observerEvent('deployment_started', run),
        observerEvent('deployment_stage', { ...run, payload: { stage: 'pull', status: 'started' } }),
        observerEvent('deployment_stage', { ...run, payload: { stage: 'pull', status: 'succeeded' } }),
        observerEvent('deployment_succeeded', run),
      ].join(''),
    );
    await otelcol.waitForSpans((sp) => sp.name === 'deployment jellyfin');
    const spans = await otelcol.readSpans();
    const traceqlQueries = allQueries().filter((q) => q.language === 'traceql');
    assert.ok(traceqlQueries.length >= 2);
    assert.ok(
      traceqlQueries.some((q) => q.expr === '{ name =~ "deployment .+" }'),
      'the deployment query is among those checked',
    );
    for (const q of traceqlQueries) {
      assert.ok(
        spans.some((sp) => spanSelectedBy(q.expr, sp)),
        `${q.file} ${q.where}: ${q.expr} selects none of ${spans.length} exported spans`,
      );
    }
    // The canvas' click-through attribute is on the message spans.
    const mc = allQueries().find((q) => q.where.includes('Message traces'));
    assert.ok(mc);
    assert.ok(spans.some((sp) => spanSelectedBy(mc.expr, sp) && String(sp.attributes['hmx.source.actor.id']).startsWith('mesh:node-')));
  });

  it('OTLP export failing: stopping the OTel Collector fires (seen by the direct scrape), exports resume after restart', async () => {
    await otelcol.stop();
    await waitRule('hmx-collector-otlp-export-failing', { job: 'hmx-collector-self' }, true);
    await otelcol.restart();
    // Exports succeed again: fresh data flows through the OTel Collector into Prometheus.
    const before = (await prom.query('max(hmx_collector_export_successes_total{job="hmx-collector",hmx_signal="metrics"})'))[0]?.value ?? 0;
    await prom.waitFor('max(hmx_collector_export_successes_total{job="hmx-collector",hmx_signal="metrics"})', (s) => (s[0]?.value ?? 0) > before);
    // The rate over 2 minutes falls back to 0 two minutes later: not waited for here.
  });

  it('collector CPU overhead: the rule query measures the collector process', async () => {
    // The collector runs inside the test process here (with the demo supervisor and the harness), so the value
    // is that process's CPU share: the query is checked to measure something, the 5 % threshold is not provoked.
    const cpu = await prom.waitFor(ruleExpr(rule('hmx-collector-cpu')), (s) => s.length > 0 && s.every((x) => x.value > 0));
    assert.ok(
      cpu.every((s) => Number.isFinite(s.value) && s.value < 2),
      JSON.stringify(cpu.map((s) => s.value)),
    );
  });

  it('every PromQL expression of the dashboards and rules runs, and returns series where the scenario produces its metrics', async () => {
    const names = new Set(await prom.metricNames());
    // Not produced by this scenario: no hardware sensors (source off), no metrics-server in the fake API server.
    const notProduced = (m: string) => m.startsWith('hw_') || m.startsWith('k8s_pod_cpu') || m.startsWith('k8s_pod_memory');
    // Queries that filter to problems: empty while nothing is wrong, which is the case at this point.
    const mayBeEmpty = new Set([
      'count by (host_name) (hw_status{hw_state!="ok"} == 1)',
      'count(k8s_container_ready == 0)',
      'count(hmx_actor_up{hmx_layer="harmonix"} == 0)',
    ]);
    const failures: string[] = [];
    let checked = 0;
    for (const q of allQueries().filter((x) => x.language === 'promql')) {
      const expr = interpolate(q.expr);
      let samples: PromSample[];
      try {
        samples = await prom.query(expr);
      } catch (err) {
        failures.push(`${q.file} ${q.where}: ${(err as Error).message}`);
        continue;
      }
      const metrics = metricNamesOf(expr);
      assert.ok(metrics.length > 0, `${q.where}: names a metric`);
      if (metrics.some(notProduced) || mayBeEmpty.has(expr)) continue;
      const missing = metrics.filter((m) => !names.has(m));
      if (missing.length) failures.push(`${q.file} ${q.where}: Prometheus has no ${missing.join(', ')}`);
      else if (samples.length === 0) failures.push(`${q.file} ${q.where}: no series for ${expr}`);
      checked++;
    }
    assert.deepEqual(failures, []);
    assert.ok(checked >= 50, `${checked} expressions returned series`);
  });
});

/**
 * Whether Loki would return record `r` for the simple LogQL shape the dashboards use:
 * {service_name="…"} | event_name=~"…" [| json | field=~"…"]. Loki's OTLP mapping: resource
 * service.name → label service_name; record attributes → structured metadata, dots → underscores;
 * `| json` extracts the JSON body's top-level fields. Regex matchers are fully anchored (RE2).
 */
function selectedBy(expr: string, r: ReadLogRecord): boolean {
  const shape = /^\{service_name="([^"]+)"\} \| event_name=~"([^"]+)"(?: \| json(?: \| (\w+)=~"([^"]+)")?)?$/.exec(expr);
  assert.ok(shape, `LogQL of an unexpected shape: ${expr}`);
  const [, service, eventRegex, field, fieldRegex] = shape;
  if (r.resource['service.name'] !== service) return false;
  if (!new RegExp(`^(?:${eventRegex})$`).test(String(r.attributes['event.name'] ?? ''))) return false;
  if (!field) return true;
  const body = JSON.parse(String(r.body)) as Record<string, unknown>;
  return new RegExp(`^(?:${fieldRegex})$`).test(String(body[field] ?? ''));
}

const SPAN_KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/**
 * Whether Tempo would match span `sp` for the simple TraceQL shape the dashboards use:
 * { cond && cond … } with cond one of `span.<attr> = "v"`, `resource.<attr> = "v"`, `name =~ "re"`,
 * `name = "v"`, `kind = producer`. Regexes are fully anchored (RE2 semantics).
 */
function spanSelectedBy(query: string, sp: ReadSpan): boolean {
  const body = /^\{ (.+) \}$/.exec(query)?.[1];
  assert.ok(body, `TraceQL of an unexpected shape: ${query}`);
  return body.split(' && ').every((cond) => {
    const m = /^(span\.|resource\.)?([\w.]+) (=~|=) (?:"([^"]*)"|(\w+))$/.exec(cond);
    assert.ok(m, `TraceQL condition of an unexpected shape: ${cond}`);
    const [, scope, key, op, quoted, bare] = m;
    let actual: unknown;
    if (scope === 'span.') actual = sp.attributes[key!];
    else if (scope === 'resource.') actual = sp.resource[key!];
    else if (key === 'name') actual = sp.name;
    else if (key === 'kind') return sp.kind === SPAN_KINDS[bare ?? ''];
    else assert.fail(`unsupported intrinsic ${key}`);
    const wanted = quoted ?? bare ?? '';
    return op === '=' ? String(actual) === wanted : new RegExp(`^(?:${wanted})$`).test(String(actual ?? ''));
  });
}

/** Metric names in a PromQL expression (lezer-promql syntax tree). */
function metricNamesOf(expr: string): string[] {
  const out = new Set<string>();
  const tree = promqlParser.parse(expr);
  tree.iterate({
    enter: (n) => {
      if (n.name === 'VectorSelector') {
        const id = n.node.getChild('Identifier');
        if (id) out.add(expr.slice(id.from, id.to));
      }
    },
  });
  return [...out];
}
