// Where OTLP goes: the endpoint options every exporter here shares (signal URLs: `otlpSignalUrl` of @harmonix/delivery).

export interface OtlpOptions {
  /** Base URL, e.g. http://127.0.0.1:4318 (the signal paths /v1/metrics, /v1/logs, /v1/traces are appended). */
  endpoint: string;
  headers: Record<string, string>;
  metricIntervalMs: number;
  /** Encoding of the lifecycle log export (metrics, traces and source logs are OTLP/JSON). */
  logsProtocol: 'http/json' | 'http/protobuf';
}
