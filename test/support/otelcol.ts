import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { otelcolBinary, repoRoot } from './binaries.js';
import { parseLogLines, parseSpanLines, type ReadLogRecord, type ReadSpan } from './otlp-json.js';
import { freePorts } from './ports.js';
import { httpProbe, startProcess, type ManagedProcess } from './process.js';
import { pollUntil } from './wait.js';

/** The pipeline users run (docker compose); the tests run the same file with the overrides below. */
export const collectorConfig = join(repoRoot, 'otel-config', 'collector.yaml');

export interface OtelcolOptions {
  /** Where the prometheusremotewrite exporter sends (e.g. TestPrometheus#remoteWriteUrl). */
  prometheusRemoteWriteUrl: string;
  /** Extra config merged last (maps merge, lists replace), e.g. to tune an exporter. */
  extraConfig?: Record<string, unknown>;
  /** Extra environment for the collector (placeholders in collector.yaml). */
  env?: Record<string, string>;
}

/**
 * Test overrides on top of otel-config/collector.yaml: file exporters stand in for Tempo and Loki
 * (the traces pipeline keeps its span_metrics/service_graph connectors), internal telemetry is off
 * so parallel collectors do not fight over port 8888.
 */
function overrides(tracesFile: string, logsFile: string): Record<string, unknown> {
  const file = (path: string) => ({ path, format: 'json', flush_interval: '100ms' });
  return {
    exporters: { 'file/traces': file(tracesFile), 'file/logs': file(logsFile) },
    service: {
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
      pipelines: {
        traces: { exporters: ['file/traces', 'span_metrics', 'service_graph'] },
        logs: { exporters: ['file/logs'] },
      },
    },
  };
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/**
 * The real OTel Collector (built by ocb from otel-config/builder-config.yaml) running
 * otel-config/collector.yaml on free 127.0.0.1 ports. Stop and restart it on the same ports
 * to simulate an outage of the OTLP endpoint.
 */
export class TestOtelcol {
  private proc: ManagedProcess | undefined;

  private constructor(
    private readonly bin: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly dir: string,
    readonly otlpHttpPort: number,
    readonly otlpGrpcPort: number,
    readonly healthPort: number,
  ) {}

  /** Base URL for OTLP/HTTP (SDK exporters post to `${otlpHttpUrl}/v1/metrics` etc.). */
  get otlpHttpUrl(): string {
    return `http://127.0.0.1:${this.otlpHttpPort}`;
  }
  get otlpGrpcEndpoint(): string {
    return `127.0.0.1:${this.otlpGrpcPort}`;
  }
  get healthUrl(): string {
    return `http://127.0.0.1:${this.healthPort}/`;
  }
  /** The file exporter output standing in for Tempo (OTLP JSON lines). */
  get tracesFile(): string {
    return join(this.dir, 'traces.jsonl');
  }
  /** The file exporter output standing in for Loki (OTLP JSON lines). */
  get logsFile(): string {
    return join(this.dir, 'logs.jsonl');
  }
  get running(): boolean {
    return this.proc !== undefined && !this.proc.exited();
  }

  static async start(opts: OtelcolOptions): Promise<TestOtelcol> {
    const bin = otelcolBinary();
    const dir = await mkdtemp(join(tmpdir(), 'hmx-otelcol-'));
    const [httpPort, grpcPort, healthPort] = await freePorts(3);
    if (httpPort === undefined || grpcPort === undefined || healthPort === undefined) throw new Error('freePorts returned too few ports');
    const overrideFile = join(dir, 'test-overrides.yaml');
    await writeFile(overrideFile, JSON.stringify(overrides(join(dir, 'traces.jsonl'), join(dir, 'logs.jsonl')), null, 2));
    const args = [`--config=${collectorConfig}`, `--config=${overrideFile}`];
    if (opts.extraConfig) {
      const extraFile = join(dir, 'test-extra.yaml');
      await writeFile(extraFile, JSON.stringify(opts.extraConfig, null, 2));
      args.push(`--config=${extraFile}`);
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OTELCOL_OTLP_HTTP_ENDPOINT: `127.0.0.1:${httpPort}`,
      OTELCOL_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpcPort}`,
      OTELCOL_HEALTH_ENDPOINT: `127.0.0.1:${healthPort}`,
      PROMETHEUS_REMOTE_WRITE_URL: opts.prometheusRemoteWriteUrl,
      OTELCOL_BATCH_TIMEOUT: '200ms',
      OTELCOL_CONNECTOR_FLUSH_INTERVAL: '1s',
      ...opts.env,
    };
    const col = new TestOtelcol(bin, args, env, dir, httpPort, grpcPort, healthPort);
    try {
      await col.restart();
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return col;
  }

  /** (Re)starts the collector on the same ports and files; no-op while it is running. */
  async restart(): Promise<void> {
    if (this.running) return;
    this.proc = await startProcess({
      name: 'otelcol',
      command: this.bin,
      args: this.args,
      env: this.env,
      ready: httpProbe(this.healthUrl),
    });
  }

  /** Stops the collector (graceful: it flushes its queues), keeping ports and files for restart(). */
  async stop(): Promise<void> {
    await this.proc?.stop();
  }

  /** Stops the collector and removes its temp directory. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The collector's recent output, for assertion messages. */
  output(lines = 40): string {
    return this.proc?.output(lines) ?? '';
  }

  async readLogRecords(): Promise<ReadLogRecord[]> {
    return parseLogLines(await readIfExists(this.logsFile), this.logsFile);
  }

  async readSpans(): Promise<ReadSpan[]> {
    return parseSpanLines(await readIfExists(this.tracesFile), this.tracesFile);
  }

  /** Waits until a log record matching `match` has been written; returns the matching records. */
  waitForLogRecords(match: (r: ReadLogRecord) => boolean, timeoutMs = 20_000): Promise<ReadLogRecord[]> {
    return this.waitForRecords(() => this.readLogRecords(), match, this.logsFile, timeoutMs);
  }

  /** Waits until a span matching `match` has been written; returns the matching spans. */
  waitForSpans(match: (s: ReadSpan) => boolean, timeoutMs = 20_000): Promise<ReadSpan[]> {
    return this.waitForRecords(() => this.readSpans(), match, this.tracesFile, timeoutMs);
  }

  private waitForRecords<T>(read: () => Promise<T[]>, match: (r: T) => boolean, file: string, timeoutMs: number): Promise<T[]> {
    return pollUntil(
      async () => {
        const found = (await read()).filter(match);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs, what: `a matching record in ${file}`, detail: () => `otelcol output:\n${this.output(20)}` },
    );
  }
}
