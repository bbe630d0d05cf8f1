// OTLP/JSON logs → Loki streams, as Loki 3's native OTLP ingestion stores them (pkg/loghttp/push/otlp.go):
// the default resource attributes become index labels, everything else structured metadata, names with `.`
// (or any other character invalid in a label) turned into `_`.
import type { AnyValueJson, KeyValueJson } from '../otlp-json.js';
import type { Entry } from './store.js';

/** Loki's default `otlp_config` index labels (pkg/loghttp/push/otlplabels/config.go). */
export const OTLP_INDEX_LABELS = new Set([
  'service.name',
  'service.namespace',
  'service.instance.id',
  'deployment.environment',
  'deployment.environment.name',
  'cloud.region',
  'cloud.availability_zone',
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.container.name',
  'container.name',
  'k8s.replicaset.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.cronjob.name',
  'k8s.job.name',
]);

type AnyValue = AnyValueJson;
type KeyValue = KeyValueJson;
interface LogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}
export interface OtlpLogsRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: Array<{ scope?: { name?: string; version?: string; attributes?: KeyValue[] }; logRecords?: LogRecord[] }>;
  }>;
}

export function labelName(key: string): string {
  const s = key.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `key_${s}` : s;
}

function asString(v: AnyValue | undefined): string {
  if (!v) {
    return '';
  }
  if (v.stringValue !== undefined) {
    return v.stringValue;
  }
  if (v.intValue !== undefined) {
    return String(v.intValue);
  }
  if (v.doubleValue !== undefined) {
    return String(v.doubleValue);
  }
  if (v.boolValue !== undefined) {
    return String(v.boolValue);
  }
  if (v.bytesValue !== undefined) {
    return v.bytesValue;
  }
  return JSON.stringify(v.arrayValue ?? v.kvlistValue ?? {});
}

/** Nested maps are flattened with `_` (Loki's attributesToLabels). */
function addAttributes(out: Record<string, string>, attrs: KeyValue[] | undefined, prefix = ''): void {
  for (const kv of attrs ?? []) {
    if (kv.value?.kvlistValue) {
      addAttributes(out, kv.value.kvlistValue.values, `${prefix}${kv.key}_`);
    } else {
      out[labelName(prefix + kv.key)] = asString(kv.value);
    }
  }
}

/** Loki's discover_log_levels result from an OTLP severity number. */
function detectedLevel(n: number | undefined, text: string | undefined): string {
  if (n && n > 0) {
    return n <= 4 ? 'trace' : n <= 8 ? 'debug' : n <= 12 ? 'info' : n <= 16 ? 'warn' : n <= 20 ? 'error' : 'fatal';
  }
  return text ? text.toLowerCase() : 'unknown';
}

function nanos(v: string | number | undefined): bigint {
  return v === undefined || v === '' ? 0n : BigInt(v);
}

export interface OtlpStreamBatch {
  labels: Record<string, string>;
  entries: Entry[];
}

/** Converts one OTLP/JSON export request; `nowNs` stamps records that carry neither timestamp. */
export function otlpToStreams(req: OtlpLogsRequest, nowNs: bigint): OtlpStreamBatch[] {
  const batches = new Map<string, OtlpStreamBatch>();
  for (const rl of req.resourceLogs ?? []) {
    const labels: Record<string, string> = {};
    const resourceMetadata: Record<string, string> = {};
    for (const kv of rl.resource?.attributes ?? []) {
      if (OTLP_INDEX_LABELS.has(kv.key)) {
        labels[labelName(kv.key)] = asString(kv.value);
      } else {
        addAttributes(resourceMetadata, [kv]);
      }
    }
    labels.service_name ??= 'unknown_service';
    const key = JSON.stringify(Object.entries(labels).sort());
    const batch = batches.get(key) ?? { labels, entries: [] };
    batches.set(key, batch);
    for (const sl of rl.scopeLogs ?? []) {
      const scopeMetadata: Record<string, string> = { ...resourceMetadata };
      addAttributes(scopeMetadata, sl.scope?.attributes);
      if (sl.scope?.name) {
        scopeMetadata.scope_name = sl.scope.name;
      }
      if (sl.scope?.version) {
        scopeMetadata.scope_version = sl.scope.version;
      }
      for (const lr of sl.logRecords ?? []) {
        const metadata: Record<string, string> = { ...scopeMetadata };
        addAttributes(metadata, lr.attributes);
        const time = nanos(lr.timeUnixNano);
        const observed = nanos(lr.observedTimeUnixNano);
        if (time !== 0n && observed !== 0n) {
          metadata.observed_timestamp = String(observed);
        }
        if (lr.severityNumber) {
          metadata.severity_number = String(lr.severityNumber);
        }
        if (lr.severityText) {
          metadata.severity_text = lr.severityText;
        }
        if (lr.traceId) {
          metadata.trace_id = lr.traceId;
        }
        if (lr.spanId) {
          metadata.span_id = lr.spanId;
        }
        if (lr.flags) {
          metadata.flags = String(lr.flags);
        }
        if (lr.droppedAttributesCount) {
          metadata.dropped_attributes_count = String(lr.droppedAttributesCount);
        }
        if (lr.eventName) {
          metadata.event_name = lr.eventName;
        }
        metadata.detected_level = detectedLevel(lr.severityNumber, lr.severityText);
        batch.entries.push({ ns: time !== 0n ? time : observed !== 0n ? observed : nowNs, line: asString(lr.body), metadata });
      }
    }
  }
  return [...batches.values()];
}
