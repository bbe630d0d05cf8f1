// Where OTLP goes: the endpoint options every exporter here shares, and the URL of one signal under it.

export interface OtlpOptions {
  /** Base URL, e.g. http://127.0.0.1:4318 (the signal paths /v1/metrics, /v1/logs, /v1/traces are appended). */
  endpoint: string;
  headers: Record<string, string>;
  metricIntervalMs: number;
}

/** The OTLP/HTTP URL of one signal under a base endpoint (`http://host:4318` → `http://host:4318/v1/logs`). */
export function otlpSignalUrl(endpoint: string, signal: 'metrics' | 'logs' | 'traces'): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}
