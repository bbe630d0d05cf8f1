import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusBinary } from './binaries.js';
import { freePort } from './ports.js';
import { httpProbe, startProcess, type ManagedProcess } from './process.js';
import { pollUntil } from './wait.js';

export interface ScrapeTarget {
  job: string;
  /** host:port entries. */
  targets: string[];
  metricsPath?: string;
  scrapeInterval?: string;
  /** Prometheus `metric_relabel_configs` of the job, as in a prometheus.yml (e.g. keep only some metrics). */
  metricRelabelConfigs?: Array<Record<string, unknown>>;
}

export interface PrometheusOptions {
  scrapeTargets?: ScrapeTarget[];
  /** Global scrape/evaluation interval (default 1s so scrape tests are quick). */
  scrapeInterval?: string;
  /** Extra command-line flags, e.g. ['--query.lookback-delta=30s']. */
  extraArgs?: string[];
}

/** One instant-vector sample (scalars are returned as one sample with no labels). */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
  timestamp: number;
}

export interface PromSeries {
  metric: Record<string, string>;
  values: Array<[timestamp: number, value: number]>;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

type QueryData =
  | { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: [number, string] }> }
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'matrix'; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };

function configYaml(opts: PrometheusOptions): string {
  // JSON is valid YAML, so no YAML library is needed.
  const interval = opts.scrapeInterval ?? '1s';
  return JSON.stringify(
    {
      global: { scrape_interval: interval, evaluation_interval: interval },
      // Remote-written batches can arrive slightly out of order after an outage.
      storage: { tsdb: { out_of_order_time_window: '10m' } },
      scrape_configs: (opts.scrapeTargets ?? []).map((t) => ({
        job_name: t.job,
        metrics_path: t.metricsPath ?? '/metrics',
        scrape_interval: t.scrapeInterval ?? interval,
        static_configs: [{ targets: t.targets }],
        ...(t.metricRelabelConfigs && { metric_relabel_configs: t.metricRelabelConfigs }),
      })),
    },
    null,
    2,
  );
}

/** A real Prometheus started for a test on 127.0.0.1:<free port>, remote-write receiver on, temp TSDB. */
export class TestPrometheus {
  private constructor(
    private readonly proc: ManagedProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** http://127.0.0.1:<port> */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The endpoint for the OTel Collector's prometheusremotewrite exporter. */
  get remoteWriteUrl(): string {
    return `${this.url}/api/v1/write`;
  }

  static async start(opts: PrometheusOptions = {}): Promise<TestPrometheus> {
    const bin = prometheusBinary();
    const dir = await mkdtemp(join(tmpdir(), 'hmx-prom-'));
    const configFile = join(dir, 'prometheus.yml');
    await writeFile(configFile, configYaml(opts));
    const port = await freePort();
    try {
      const proc = await startProcess({
        name: 'prometheus',
        command: bin,
        args: [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--web.enable-remote-write-receiver',
          '--log.level=warn',
          ...(opts.extraArgs ?? []),
        ],
        ready: httpProbe(`http://127.0.0.1:${port}/-/ready`),
      });
      return new TestPrometheus(proc, dir, port);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private async api<T>(path: string, params: Record<string, string>): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let body: ApiResponse<T>;
    try {
      body = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new Error(`prometheus ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new Error(`prometheus ${path} ${JSON.stringify(params)}: ${body.errorType ?? 'error'}: ${body.error ?? text}`);
    }
    return body.data;
  }

  /** Instant query; throws with Prometheus's error text if the expression is invalid. */
  async query(expr: string, time?: Date): Promise<PromSample[]> {
    const params: Record<string, string> = { query: expr };
    if (time) params.time = String(time.getTime() / 1000);
    const data = await this.api<QueryData>('/api/v1/query', params);
    if (data.resultType === 'vector') {
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]), timestamp: r.value[0] }));
    }
    if (data.resultType === 'scalar') {
      return [{ metric: {}, value: Number(data.result[1]), timestamp: data.result[0] }];
    }
    throw new Error(`prometheus query ${expr}: unexpected result type ${data.resultType}`);
  }

  /** Range query; `stepSeconds` defaults to 1. */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds = 1): Promise<PromSeries[]> {
    const data = await this.api<QueryData>('/api/v1/query_range', {
      query: expr,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepSeconds),
    });
    if (data.resultType !== 'matrix') throw new Error(`prometheus query_range ${expr}: unexpected result type ${data.resultType}`);
    return data.result.map((r) => ({ metric: r.metric, values: r.values.map(([t, v]) => [t, Number(v)]) }));
  }

  /** Every metric name Prometheus currently knows. */
  async metricNames(): Promise<string[]> {
    const res = await fetch(`${this.url}/api/v1/label/__name__/values`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as ApiResponse<string[]>;
    if (body.status !== 'success' || !body.data) throw new Error(`prometheus label values: ${body.error ?? res.status}`);
    return body.data;
  }

  /**
   * Polls `expr` until `predicate(samples)` holds; returns those samples.
   * On timeout the error names the expression and shows the last result.
   */
  async waitFor(expr: string, predicate: (samples: PromSample[]) => boolean = (s) => s.length > 0, timeoutMs = 30_000): Promise<PromSample[]> {
    let last: PromSample[] | undefined;
    return pollUntil(
      async () => {
        last = await this.query(expr);
        return predicate(last) ? last : undefined;
      },
      {
        timeoutMs,
        intervalMs: 250,
        what: `PromQL ${expr} to satisfy the predicate`,
        detail: () => `last result: ${JSON.stringify(last)}\nprometheus output:\n${this.proc.output(20)}`,
      },
    );
  }

  /** Stops Prometheus and removes its temp directory. */
  async stop(): Promise<void> {
    await this.proc.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
