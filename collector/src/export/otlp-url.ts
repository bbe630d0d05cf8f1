/** The OTLP/HTTP URL of one signal under a base endpoint (`http://host:4318` → `http://host:4318/v1/logs`). */
export function otlpSignalUrl(endpoint: string, signal: 'metrics' | 'logs' | 'traces'): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}
