// Lifecycle log lines written straight into an OTLP/HTTP JSON logs request (the shape the SDK's JsonLogsSerializer
// produces), without the SDK's per-record log-record objects, attribute checks and request transformation. The transport
// stays the SDK's own export delegate: URL, headers, timeout, retries with backoff on retryable answers, the
// concurrency limit.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import type { Resource } from '@opentelemetry/resources';
import type { ContractRecord } from '@harmonix/contract';
import { lifecycleLine } from './lifecycle-logs.js';
import { ProtoLogsRequest } from './otlp-proto-logs.js';

/** One log record, already shaped: what the collector exports for a contract record. */
export interface LogLine {
  eventName: string;
  timeMs: number;
  severityNumber: number;
  severityText: string;
  /** The body string (the contract record's JSON). */
  body: string;
  attributes: Record<string, string | number>;
}

/** OTLP/HTTP encodings of the logs request (OTEL_EXPORTER_OTLP_LOGS_PROTOCOL's values; grpc is not spoken). */
export const LOG_PROTOCOLS = ['http/json', 'http/protobuf'] as const;
export type LogProtocol = (typeof LOG_PROTOCOLS)[number];

export interface OtlpLogTarget {
  /** Full URL of the logs endpoint (…/v1/logs). */
  url: string;
  /** Default http/json. */
  protocol?: LogProtocol;
  headers?: Record<string, string>;
  timeoutMillis?: number;
}

interface AnyValue {
  stringValue?: string;
  intValue?: number;
  doubleValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values: AnyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
/** The encoded resource of a request (constant for the process, so encoded once). */
export interface EncodedResource {
  attributes: KeyValue[];
  droppedAttributesCount: 0;
}

function anyValue(v: unknown): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: Number.isFinite(v) ? v : String(v) };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { stringValue: String(v) };
}

function attributes(attrs: Record<string, unknown>): KeyValue[] {
  const out: KeyValue[] = [];
  for (const key in attrs) {
    const value = attrs[key];
    if (value !== undefined && value !== null) out.push({ key, value: anyValue(value) });
  }
  return out;
}

/** Nanoseconds since the epoch as the decimal string OTLP/JSON uses for fixed64 (exact for millisecond times). */
const nanos = (ms: number) => `${Math.trunc(ms)}000000`;

export function encodeResource(resource: Resource): EncodedResource {
  return { attributes: attributes(resource.attributes), droppedAttributesCount: 0 };
}

/**
 * One ExportLogsServiceRequest (OTLP/JSON) for the lines, all under one resource and scope: plain objects and a
 * single JSON.stringify (measured: about 1.5x less CPU than the SDK's log-record objects and serializer).
 */
export function encodeLogsRequest(resource: EncodedResource, lines: readonly LogLine[], observedMs = Date.now()): string {
  const observed = nanos(observedMs);
  const logRecords = lines.map((line) => ({
    timeUnixNano: nanos(line.timeMs),
    observedTimeUnixNano: observed,
    severityNumber: line.severityNumber,
    severityText: line.severityText,
    body: { stringValue: line.body },
    eventName: line.eventName,
    attributes: attributes(line.attributes),
    droppedAttributesCount: 0,
  }));
  return JSON.stringify({ resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'hmx-collector' }, logRecords }] }] });
}

/** A logs request being filled, a line at a time, until it is sent. */
export interface LogRequest {
  readonly count: number;
  add(line: LogLine): void;
  /** A contract record as its log record (lifecycleLine's; `body`, `timeMs` when already known). */
  addRecord(record: ContractRecord, body?: string, timeMs?: number): void;
}

export interface LineExporter {
  /** A new, empty request. */
  begin(): LogRequest;
  /** Sends the request (one begun here); the callback gets the outcome after the SDK transport's retries. */
  export(request: LogRequest, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/** The JSON request keeps its lines until it is encoded, in one JSON.stringify. */
class JsonLogsRequest implements LogRequest {
  readonly lines: LogLine[] = [];
  get count(): number {
    return this.lines.length;
  }
  add(line: LogLine): void {
    this.lines.push(line);
  }
  addRecord(record: ContractRecord, body?: string, timeMs?: number): void {
    this.lines.push(lifecycleLine(record, body, timeMs));
  }
}

/** An OTLP/HTTP logs exporter (JSON or protobuf) for ready-made lines, on the SDK's HTTP export delegate. */
export function createLineExporter(resource: Resource, target: OtlpLogTarget): LineExporter {
  const proto = target.protocol === 'http/protobuf';
  const encoded = proto ? undefined : encodeResource(resource);
  const encoder = new TextEncoder();
  const serializer = {
    serializeRequest: (request: LogRequest) =>
      request instanceof ProtoLogsRequest ? request.finish() : encoder.encode(encodeLogsRequest(encoded!, (request as JsonLogsRequest).lines)),
    // the response's partial_success is not read (the SDK's delegate only needs an object back)
    deserializeResponse: (data: Uint8Array) => (data.length && !proto ? (JSON.parse(new TextDecoder().decode(data)) as unknown) : {}),
  };
  const options = convertLegacyHttpOptions({ url: target.url, headers: target.headers ?? {}, timeoutMillis: target.timeoutMillis }, 'LOGS', 'v1/logs', {
    'Content-Type': proto ? 'application/x-protobuf' : 'application/json',
  });
  const base = new OTLPExporterBase<LogRequest>(
    createOtlpHttpExportDelegate(options, serializer, 'otlp_http_log_exporter', { name: 'log', countItems: (request) => request.count }, undefined),
  );
  return {
    begin: () => (proto ? new ProtoLogsRequest(resource.attributes) : new JsonLogsRequest()),
    export: (request, done) => (request.count === 0 ? done({ code: ExportResultCode.SUCCESS }) : base.export(request, done)),
    shutdown: () => base.shutdown(),
  };
}
