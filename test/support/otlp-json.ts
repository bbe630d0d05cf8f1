/**
 * Reads the OTLP JSON lines the OTel Collector's file exporter writes (one export request per line)
 * and flattens them into plain records with attribute maps.
 */

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export interface AnyValueJson {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  bytesValue?: string;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: KeyValueJson[] };
}
export interface KeyValueJson {
  key: string;
  value?: AnyValueJson;
}
interface ResourceJson {
  attributes?: KeyValueJson[];
}
interface ScopeJson {
  name?: string;
  version?: string;
}

interface LogRecordJson {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  eventName?: string;
  body?: AnyValueJson;
  attributes?: KeyValueJson[];
  traceId?: string;
  spanId?: string;
}
interface LogsLineJson {
  resourceLogs?: Array<{ resource?: ResourceJson; scopeLogs?: Array<{ scope?: ScopeJson; logRecords?: LogRecordJson[] }> }>;
}

interface SpanJson {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValueJson[];
  status?: { code?: number; message?: string };
}
interface TracesLineJson {
  resourceSpans?: Array<{ resource?: ResourceJson; scopeSpans?: Array<{ scope?: ScopeJson; spans?: SpanJson[] }> }>;
}

export interface ReadLogRecord {
  resource: Attributes;
  scope: ScopeJson;
  eventName?: string;
  severityNumber?: number;
  severityText?: string;
  /** The body converted to a JS value (a string for the contract's JSON event bodies). */
  body: AttrValue;
  attributes: Attributes;
  timeUnixNano?: string;
  traceId?: string;
  spanId?: string;
}

export interface ReadSpan {
  resource: Attributes;
  scope: ScopeJson;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** OTLP SpanKind number (1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
  kind?: number;
  attributes: Attributes;
  status?: { code?: number; message?: string };
}

export function anyValue(v: AnyValueJson | undefined): AttrValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue); // int64 is a JSON string in OTLP JSON
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue) return attributes(v.kvlistValue.values);
  return null;
}

export function attributes(kvs: KeyValueJson[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of kvs ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

function jsonLines<T>(text: string, file: string): T[] {
  const lines = text.split('\n');
  // A last line without its newline may still be being written by the exporter: skip it.
  if (!text.endsWith('\n')) lines.pop();
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as T];
    } catch {
      throw new Error(`${file}: line ${i + 1} is not valid JSON: ${line.slice(0, 120)}`);
    }
  });
}

/** One resource with its scopes and their items, whatever the signal. */
interface ResourceGroup<Item> {
  resource?: ResourceJson;
  scopes?: Array<{ scope?: ScopeJson; items?: Item[] }>;
}

function flatten<Item, Out>(groups: ResourceGroup<Item>[], map: (item: Item, resource: Attributes, scope: ScopeJson) => Out): Out[] {
  return groups.flatMap((g) => {
    const resource = attributes(g.resource?.attributes);
    return (g.scopes ?? []).flatMap((s) => (s.items ?? []).map((item) => map(item, resource, s.scope ?? {})));
  });
}

export function parseLogLines(text: string, file = 'logs'): ReadLogRecord[] {
  const groups = jsonLines<LogsLineJson>(text, file).flatMap((line) =>
    (line.resourceLogs ?? []).map((rl) => ({
      resource: rl.resource,
      scopes: (rl.scopeLogs ?? []).map((sl) => ({ scope: sl.scope, items: sl.logRecords })),
    })),
  );
  return flatten(groups, (r: LogRecordJson, resource, scope) => ({
    resource,
    scope,
    eventName: r.eventName,
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: anyValue(r.body),
    attributes: attributes(r.attributes),
    timeUnixNano: r.timeUnixNano,
    traceId: r.traceId,
    spanId: r.spanId,
  }));
}

export function parseSpanLines(text: string, file = 'traces'): ReadSpan[] {
  const groups = jsonLines<TracesLineJson>(text, file).flatMap((line) =>
    (line.resourceSpans ?? []).map((rs) => ({
      resource: rs.resource,
      scopes: (rs.scopeSpans ?? []).map((ss) => ({ scope: ss.scope, items: ss.spans })),
    })),
  );
  return flatten(groups, (s: SpanJson, resource, scope) => ({
    resource,
    scope,
    name: s.name,
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId || undefined,
    kind: s.kind,
    attributes: attributes(s.attributes),
    status: s.status,
  }));
}
