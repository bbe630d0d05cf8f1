// The OTLP/HTTP URL of one signal under a base endpoint, for the collector's exporters and the SDK's span exporter.

/** `http://host:4318` → `http://host:4318/v1/logs` (trailing slashes of the base are dropped). */
export function otlpSignalUrl(endpoint: string, signal: 'metrics' | 'logs' | 'traces'): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}
