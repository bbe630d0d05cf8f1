// Static checks of docker-compose.yml, collector/Dockerfile and the backend configs in stack/
// (no Docker engine runs here, so nothing is started): the Compose specification's JSON schema
// (as shipped by the dclint package, schemas/compose.schema.json, MIT), dclint's correctness rules,
// every referenced file, ports bound to 127.0.0.1, pinned tags, declared volumes, healthchecks,
// retention ≥ 7 days.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { LAUNCHER_V8_FLAGS } from '../../collector/bench/proc-stats.js';
import { parse as parseYaml } from 'yaml';
import { buildConfig } from '../../collector/src/config/load.js';
import { builtinSources } from '../../collector/src/sources/index.js';
import { repoRoot } from '../support/binaries.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  pull_policy?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}
interface ComposeFile {
  name: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const composePath = join(repoRoot, 'docker-compose.yml');
const compose = parseYaml(readFileSync(composePath, 'utf8')) as ComposeFile;
const services = Object.entries(compose.services);
const oneShot = new Set(['probe-tools']);
const durationHours = (d: string) => {
  const m = /^(\d+)([hd])$/.exec(d);
  assert.ok(m, `duration ${d} in hours or days`);
  return Number(m[1]) * (m[2] === 'd' ? 24 : 1);
};

describe('docker-compose.yml', () => {
  it('validates against the Compose specification JSON schema', () => {
    const require = createRequire(import.meta.url);
    const schemaPath = join(require.resolve('dclint/package.json'), '..', 'schemas', 'compose.schema.json');
    // Its $schema names draft-07 by an https URL ajv does not register; the schema itself is draft-07.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    assert.match(String(_draft), /draft-07/);
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    assert.equal(validate(compose), true, JSON.stringify(validate.errors, null, 2));
    // The schema can fail: an unknown service key is rejected.
    assert.equal(validate({ services: { x: { image: 'a:1', imagee: 'typo' } } }), false);
  });

  it('passes dclint correctness rules (tags, port interfaces, duplicates, build/image)', () => {
    const rules = {
      'no-build-and-image': 2,
      'no-duplicate-container-names': 2,
      'no-duplicate-exported-ports': 2,
      'no-unbound-port-interfaces': 2,
      'no-version-field': 2,
      'require-project-name-field': 2,
      'service-image-require-explicit-tag': 2,
      'no-quotes-in-volumes': 2,
    };
    const linter = new DCLinter({ rules, quiet: true, debug: false, exclude: [] } as ConstructorParameters<typeof DCLinter>[0]);
    // dclint's bundled .d.ts files use extensionless imports NodeNext cannot follow: name the shape here.
    const [result] = linter.lintFiles([composePath], false) as Array<{ messages: Array<{ rule: string; line: number; message: string }> }>;
    assert.ok(result);
    const problems = result.messages.filter((m) => m.rule in rules).map((m) => `${m.rule} line ${m.line}: ${m.message}`);
    assert.deepEqual(problems, []);
  });

  it('has the whole stack', () => {
    for (const name of ['grafana', 'otelcol', 'prometheus', 'loki', 'tempo', 'hmx-collector', 'demo']) assert.ok(compose.services[name], `service ${name}`);
  });

  it('pins every image tag (no latest, no floating major)', () => {
    for (const [name, s] of services) {
      assert.ok(s.image, `${name} has an image`);
      const m = /^[a-z0-9./-]+:([A-Za-z0-9._-]+)$/.exec(s.image);
      assert.ok(m, `${name}: ${s.image} has a tag`);
      assert.notEqual(m[1], 'latest', `${name}: latest`);
      assert.match(m[1]!, /^v?\d+\.\d+\.\d+/, `${name}: ${s.image} is pinned to a full version`);
    }
  });

  it('runs the OTel Collector contrib image at the version the tests build', () => {
    const manifest = readFileSync(join(repoRoot, 'otel-config', 'builder-config.yaml'), 'utf8');
    const version = /otelcol_version:\s*"?([\d.]+)"?/.exec(manifest)?.[1] ?? /\bv(0\.\d+\.\d+)\b/.exec(manifest)?.[1];
    assert.ok(version, 'builder-config.yaml names a collector version');
    assert.equal(compose.services.otelcol?.image, `otel/opentelemetry-collector-contrib:${version}`);
  });

  it('binds every published port to 127.0.0.1', () => {
    const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    assert.ok(published.length >= 7);
    for (const [name, p] of published) assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name}: ${p}`);
    const hostPorts = published.map(([, p]) => p.split(':')[1]);
    assert.equal(new Set(hostPorts).size, hostPorts.length, 'no host port published twice');
  });

  it('declares every named volume it mounts, mounts every volume it declares, and every bind source exists', () => {
    const used = new Set<string>();
    for (const [name, s] of services) {
      for (const v of s.volumes ?? []) {
        const [source] = v.split(':');
        assert.ok(source, `${name}: ${v}`);
        if (source.startsWith('./')) {
          assert.ok(existsSync(join(repoRoot, source)) || source === './grafana-plugin/dist', `${name}: bind source ${source} exists`);
        } else {
          assert.ok(source in compose.volumes, `${name}: volume ${source} is declared`);
          used.add(source);
        }
      }
    }
    assert.deepEqual([...used].sort(), Object.keys(compose.volumes).sort());
  });

  it('mounts the plugin build where Grafana loads it, allowed unsigned, anonymous access off by default', () => {
    const g = compose.services.grafana!;
    const pluginJson = JSON.parse(readFileSync(join(repoRoot, 'grafana-plugin', 'src', 'plugin.json'), 'utf8')) as { id: string };
    assert.ok(g.volumes?.includes(`./grafana-plugin/dist:/var/lib/grafana/plugins/${pluginJson.id}:ro`));
    assert.equal(g.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS, pluginJson.id);
    assert.equal(g.environment?.GF_AUTH_ANONYMOUS_ENABLED, '${GRAFANA_ANONYMOUS:-false}');
    for (const dir of ['datasources', 'dashboards', 'alerting']) {
      assert.ok(g.volumes?.includes(`./provisioning/${dir}:/etc/grafana/provisioning/${dir}:ro`), dir);
    }
    const home = g.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    assert.ok(existsSync(join(repoRoot, home.replace('/etc/grafana/provisioning/', 'provisioning/'))), `home dashboard ${home}`);
  });

  it('gives every long-running service a healthcheck and depends only on healthy or completed services', () => {
    for (const [name, s] of services) {
      if (oneShot.has(name)) continue;
      assert.ok(s.healthcheck?.test.length, `${name} has a healthcheck`);
      assert.equal(s.restart, 'unless-stopped', `${name} restarts`);
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        assert.ok(compose.services[dep], `${name} depends on existing ${dep}`);
        assert.equal(condition, oneShot.has(dep) ? 'service_completed_successfully' : 'service_healthy', `${name} → ${dep}`);
      }
    }
  });

  it('probes distroless images with the busybox the probe-tools service copies into its volume', () => {
    for (const name of ['loki', 'tempo', 'otelcol']) {
      const s = compose.services[name]!;
      assert.equal(s.healthcheck?.test[1], '/probe/busybox', name);
      assert.ok(s.volumes?.includes('probe-tools:/probe:ro'), name);
      assert.equal(s.depends_on?.['probe-tools']?.condition, 'service_completed_successfully', name);
    }
  });

  it('mounts the otel-config pipeline and points its exporters at the compose services', () => {
    const o = compose.services.otelcol!;
    assert.ok(o.volumes?.includes('./otel-config/collector.yaml:/etc/otelcol/collector.yaml:ro'));
    assert.deepEqual(o.command, ['--config=/etc/otelcol/collector.yaml']);
    const pipeline = readFileSync(join(repoRoot, 'otel-config', 'collector.yaml'), 'utf8');
    for (const key of Object.keys(o.environment ?? {})) assert.ok(pipeline.includes(`\${env:${key}`), `collector.yaml reads ${key}`);
    assert.equal(o.environment?.PROMETHEUS_REMOTE_WRITE_URL, 'http://prometheus:9090/api/v1/write');
    assert.equal(o.environment?.LOKI_OTLP_ENDPOINT, 'http://loki:3100/otlp');
  });

  it('builds the hmx-collector from collector/Dockerfile and the demo from the same image', () => {
    for (const name of ['hmx-collector', 'demo']) {
      const s = compose.services[name]!;
      assert.deepEqual(s.build, { context: '.', dockerfile: 'collector/Dockerfile' }, name);
      assert.equal(s.pull_policy, 'build', name);
      assert.equal(s.image, compose.services['hmx-collector']!.image);
      assert.ok(s.environment?.HMX_TOKEN, `${name} has a token (its surface is not loopback inside the container)`);
    }
    assert.deepEqual(compose.services.demo?.command, ['demo', '--config', '/etc/hmx/demo.yaml', '--otlp-endpoint', 'http://otelcol:4318']);
    assert.ok(compose.services.demo?.volumes?.includes('./stack/demo.yaml:/etc/hmx/demo.yaml:ro'));
    assert.equal(compose.services['hmx-collector']?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otelcol:4318');
  });
});

describe('stack/ backend configuration', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, its shape is what the assertions check
  const read = (f: string) => parseYaml(readFileSync(join(repoRoot, 'stack', f), 'utf8')) as Record<string, any>;

  it('Prometheus keeps at least 7 days and accepts remote write', () => {
    const args = compose.services.prometheus?.command ?? [];
    const retention = args.find((a) => a.startsWith('--storage.tsdb.retention.time='));
    assert.ok(retention);
    assert.ok(durationHours(retention.split('=')[1]!) >= 168, retention);
    assert.ok(args.includes('--web.enable-remote-write-receiver'));
    const prom = read('prometheus.yml');
    const self = (
      prom.scrape_configs as Array<{
        job_name: string;
        static_configs: Array<{ targets: string[] }>;
        metric_relabel_configs: Array<{ regex: string; action: string }>;
      }>
    ).find((j) => j.job_name === 'hmx-collector-self');
    assert.deepEqual(self?.static_configs[0]?.targets, ['hmx-collector:9464']);
    // The direct scrape keeps only the self-health series the alert rules need when OTLP is down;
    // topology series arrive once, through OTLP (else the dashboards would sum them twice).
    const [keep] = self?.metric_relabel_configs ?? [];
    assert.equal(keep?.action, 'keep');
    const kept = (name: string) => new RegExp(`^(?:${keep!.regex})$`).test(name);
    assert.ok(kept('hmx_collector_export_failures_total') && kept('hmx_collector_source_up'));
    assert.ok(!kept('hmx_node_up') && !kept('hmx_flow_messages_total') && !kept('process_cpu_time_total'));
  });

  it('Loki keeps 7 days, takes OTLP with structured metadata, schema v13 on tsdb', () => {
    const loki = read('loki.yaml');
    assert.ok(durationHours(loki.limits_config.retention_period) >= 168);
    assert.equal(loki.compactor.retention_enabled, true);
    assert.equal(loki.limits_config.allow_structured_metadata, true);
    assert.equal(loki.schema_config.configs[0].schema, 'v13');
    assert.equal(loki.schema_config.configs[0].store, 'tsdb');
    assert.equal(loki.server.http_listen_port, 3100);
  });

  it('Tempo keeps 7 days and receives OTLP gRPC on 4317', () => {
    const tempo = read('tempo.yaml');
    assert.ok(durationHours(tempo.compactor.compaction.block_retention) >= 168);
    assert.equal(tempo.distributor.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    assert.equal(tempo.server.http_listen_port, 3200);
  });

  it('the hmx-collector and demo configs are valid collector configurations listening where compose expects', () => {
    const c = read('hmx-collector.yaml');
    assert.equal(c.listen, '0.0.0.0:9464');
    const demo = read('demo.yaml');
    assert.equal(demo.listen, '0.0.0.0:9465');
    assert.match(String(compose.services.demo?.healthcheck?.test.at(-1)), /127\.0\.0\.1:9465\/healthz/);
    // Both load with the collector's own config loader (with the token compose provides).
    for (const layer of [c, demo]) {
      const config = buildConfig([layer, { token: 'a-token-of-at-least-16-chars' }], builtinSources);
      assert.ok(config.listen.port > 0);
    }
    assert.ok(compose.services['hmx-collector']?.volumes?.includes('./stack/hmx-collector.yaml:/etc/hmx/collector.yaml:ro'));
  });
});

describe('collector/Dockerfile', () => {
  const text = readFileSync(join(repoRoot, 'collector', 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const froms = lines.filter((l) => l.startsWith('FROM '));

  it('is multi-stage on a pinned node:20 slim image', () => {
    assert.ok(froms.length >= 2, 'several stages');
    for (const f of froms) assert.match(f, /^FROM node:20\.\d+\.\d+-[a-z]+-slim AS \w+$/, f);
  });

  it('runs as a non-root user in the final stage', () => {
    const last = text.slice(text.lastIndexOf('\nFROM '));
    const user = /\nUSER (\S+)/.exec(last)?.[1];
    assert.ok(user && user !== 'root' && user !== '0', `USER ${user}`);
    assert.match(last, /ENTRYPOINT \["node", ("--[a-z-]+(=\d+)?", )*"\/app\/collector\/dist\/bundle\/hmx-collector\.js"\]/);
  });

  it('copies only files that exist', () => {
    for (const l of lines.filter((x) => x.startsWith('COPY ') && !x.includes('--from='))) {
      const parts = l
        .replace(/--chown=\S+ /, '')
        .split(/\s+/)
        .slice(1, -1);
      for (const p of parts) assert.ok(existsSync(join(repoRoot, p)), `${l}: ${p}`);
    }
  });

  it('the entrypoint is what the collector package builds, run as its hmx-collector command runs it', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'collector', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    // The package's command is a launcher (linked at install, before dist/ exists) that runs the bundle of the CLI.
    const launcher = readFileSync(join(repoRoot, 'collector', pkg.bin['hmx-collector']!), 'utf8');
    assert.match(launcher, /'\.\.\/dist\/bundle\/hmx-collector\.js'/);
    assert.ok(statSync(join(repoRoot, 'collector', 'src', 'cli', 'main.ts')).isFile());
    // The image passes the launcher's V8 flags (its shebang), no more and no fewer.
    const entrypoint = JSON.parse(/\nENTRYPOINT (\[.*\])/.exec(text)![1]!) as string[];
    assert.deepEqual(entrypoint.slice(1, -1), LAUNCHER_V8_FLAGS);
  });

  it('builds and ships every workspace package the collector depends on', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'collector', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const workspaces = Object.keys(pkg.dependencies).filter((d) => d.startsWith('@harmonix/'));
    assert.ok(workspaces.length > 0);
    for (const name of workspaces) {
      const dir = name.slice('@harmonix/'.length);
      for (const line of [
        `COPY ${dir}/package.json ${dir}/package.json`,
        `COPY ${dir}/src ${dir}/src`,
        `COPY --from=build --chown=root:root /src/${dir}/dist ./${dir}/dist`,
      ])
        assert.ok(lines.includes(line), `${name}: ${line}`);
    }
  });

  it('.dockerignore keeps node_modules and build output out of the context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['**/node_modules', '**/dist', '.git']) assert.ok(ignore.includes(p), p);
  });
});
