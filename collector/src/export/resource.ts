// The collector's OTel resource: host and service identity, overridable by OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';

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

export function collectorResource(serviceName: string): Resource {
  const hostId = machineId();
  const base = resourceFromAttributes({
    'service.name': serviceName,
    'service.version': COLLECTOR_VERSION,
    // Stable across restarts on the same host, so Prometheus' `instance` label does not churn.
    'service.instance.id': `${hostname()}-${hostId.slice(0, 8)}`,
    'host.name': hostname(),
    'host.id': hostId,
    'os.type': process.platform,
  });
  // Attributes from the environment win over our defaults, as the OTel spec asks.
  const env = detectResources({ detectors: [envDetector] });
  const merged = base.merge(env);
  return process.env.OTEL_SERVICE_NAME ? merged.merge(resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME })) : merged;
}
