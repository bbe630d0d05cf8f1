// Round-trip times of RPC requests: last latency (gauge) plus sum and count (counters), per JSON-RPC method.
// The Observation model has no histogram, so the mean comes from rate(duration)/rate(requests).
export interface MethodStats {
  lastSeconds: number;
  sumSeconds: number;
  ok: number;
  error: number;
}

export class RpcStats {
  readonly byMethod = new Map<string, MethodStats>();

  record(method: string, seconds: number, ok: boolean): void {
    const s = this.byMethod.get(method) ?? { lastSeconds: 0, sumSeconds: 0, ok: 0, error: 0 };
    s.lastSeconds = seconds;
    s.sumSeconds += seconds;
    if (ok) s.ok++;
    else s.error++;
    this.byMethod.set(method, s);
  }
}
