import { nodeExporterBinary } from './binaries.js';
import { freePort } from './ports.js';
import { httpProbe, startProcess, type ManagedProcess } from './process.js';

/** The Debian prometheus-node-exporter on 127.0.0.1:<free port> (benchmarks, scrape comparisons). */
export class TestNodeExporter {
  private constructor(
    private readonly proc: ManagedProcess,
    readonly port: number,
  ) {}

  /** host:port, as a Prometheus scrape target. */
  get target(): string {
    return `127.0.0.1:${this.port}`;
  }
  get metricsUrl(): string {
    return `http://${this.target}/metrics`;
  }
  get pid(): number {
    return this.proc.pid;
  }

  /** `extraArgs`, e.g. ['--collector.disable-defaults', '--collector.cpu'] to limit collectors. */
  static async start(extraArgs: string[] = []): Promise<TestNodeExporter> {
    const port = await freePort();
    const proc = await startProcess({
      name: 'node_exporter',
      command: nodeExporterBinary(),
      args: [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...extraArgs],
      ready: httpProbe(`http://127.0.0.1:${port}/metrics`),
    });
    return new TestNodeExporter(proc, port);
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}
