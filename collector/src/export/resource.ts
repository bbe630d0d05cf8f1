// The collector's OTel resource: host and service identity, plus the configured resource attributes
// (OTEL_RESOURCE_ATTRIBUTES or `resourceAttributes:`, read by the config loader, never from process.env here).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';

export const COLLECTOR_VERSION = '0.1.0';

export function machineId(): string {
  for (const p of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(p, 'utf8').trim();
      if (id) return id;
    } catch {
      /* try the next */
    }
  }
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 32);
}

/** Configured attributes win over the collector's own defaults, as the OTel spec asks; `serviceName` (already resolved
 * from OTEL_SERVICE_NAME, the attributes' service.name, the file) wins over both. */
export function collectorResource(serviceName: string, attributes: Readonly<Record<string, string>> = {}): Resource {
  const hostId = machineId();
  return resourceFromAttributes({
    'service.version': COLLECTOR_VERSION,
    // Stable across restarts on the same host, so Prometheus' `instance` label does not churn.
    'service.instance.id': `${hostname()}-${hostId.slice(0, 8)}`,
    'host.name': hostname(),
    'host.id': hostId,
    'os.type': process.platform,
    ...attributes,
    'service.name': serviceName,
  });
}
