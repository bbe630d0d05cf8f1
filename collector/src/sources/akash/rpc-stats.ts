// Round-trip times of RPC requests: every one recorded whole into the semconv histogram rpc.client.call.duration,
// plus per-method last latency and outcome counts, and whether the latency threshold is exceeded right now.
import type { Observation } from '../../core/observation.js';
import type { FailureKind } from './errors.js';

export interface MethodStats {
  lastSeconds: number;
  ok: number;
  error: number;
}

export class RpcStats {
  readonly byMethod = new Map<string, MethodStats>();
  /** Start times (ms, monotonic) of requests still waiting for an answer. */
  private readonly open = new Set<{ started: number }>();
  /** Round trip of the request that completed last (any method: a method called rarely must not pin the state). */
  private lastSeconds = 0;
  /** Where each measurement goes (the source points it at its context's emit). */
  onMeasurement: (m: Observation) => void = () => undefined;

  constructor(
    private readonly thresholdSeconds: number,
    private readonly serverAddress: string,
  ) {}

  /** Call when a request is sent; call the returned function once it settled. */
  begin(method: string): (error?: FailureKind) => void {
    const request = { started: performance.now() };
    this.open.add(request);
    return (error) => {
      this.open.delete(request);
      const seconds = (performance.now() - request.started) / 1000;
      const s = this.byMethod.get(method) ?? { lastSeconds: 0, ok: 0, error: 0 };
      s.lastSeconds = seconds;
      this.lastSeconds = seconds;
      if (error) s.error++;
      else s.ok++;
      this.byMethod.set(method, s);
      const attributes = { 'rpc.system.name': 'jsonrpc', 'rpc.method': method, 'server.address': this.serverAddress, ...(error && { 'error.type': error }) };
      this.onMeasurement({ metric: 'rpc.client.call.duration', value: seconds, attributes });
    };
  }

  /** True while the round trip that completed last, or a request still in flight, is over the threshold. */
  slow(): boolean {
    if (this.lastSeconds > this.thresholdSeconds) return true;
    const now = performance.now();
    for (const r of this.open) if ((now - r.started) / 1000 > this.thresholdSeconds) return true;
    return false;
  }
}
