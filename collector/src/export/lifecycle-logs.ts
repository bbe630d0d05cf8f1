// Lifecycle records become OTel log records (to Loki): event.name = hmx.<type>, body = the contract JSON.
import type { ContractRecord, Keyframe } from '@harmonix/contract';
import type { RecordSink } from '../core/sink.js';
import type { LogLine } from './otlp-json-logs.js';

// OTel SeverityNumber values (logs data model).
const INFO = 9;
const WARN = 13;
const ERROR = 17;

const SEVERITY: Record<string, readonly [number, string]> = {
  'node.failed': [ERROR, 'ERROR'],
  'actor.exited': [WARN, 'WARN'],
  'node.left': [WARN, 'WARN'],
};
const INFO_SEVERITY = [INFO, 'INFO'] as const;
const AUDIT_SEVERITY: Record<string, readonly [number, string]> = {
  info: INFO_SEVERITY,
  warning: [WARN, 'WARNING'],
  error: [WARN, 'ERROR'],
  critical: [WARN, 'CRITICAL'],
};

/** OTel SeverityNumber and text of a contract record. */
export function severityOf(record: ContractRecord): readonly [number, string] {
  return (record.type === 'audit' ? AUDIT_SEVERITY[record.severity] : SEVERITY[record.type]) ?? INFO_SEVERITY;
}

const EVENT_NAMES = new Map<string, string>();
/** `hmx.<type>`, the OTel event name (one string per type, not one per record). */
export function eventNameOf(type: string): string {
  let name = EVENT_NAMES.get(type);
  if (name === undefined) EVENT_NAMES.set(type, (name = `hmx.${type}`));
  return name;
}

/**
 * The attributes that become Loki structured metadata / labels, in order: ids and kinds, all bounded by the
 * topology's size. Visited rather than built, so an encoder can write them without an object per record.
 */
export function eachAttribute(r: ContractRecord, visit: (key: string, value: string | number) => void): void {
  visit('event.name', eventNameOf(r.type));
  visit('hmx.emitter', r.emitter);
  visit('hmx.seq', r.seq);
  if ('node' in r && typeof r.node === 'object') {
    visit('hmx.node.id', r.node.id);
    visit('hmx.layer', r.node.layer);
  }
  if ('actor' in r) {
    visit('hmx.actor.id', r.actor.id);
    visit('hmx.node.id', r.actor.node);
    visit('hmx.layer', r.actor.layer);
  }
  if (r.type === 'audit') visit('hmx.subject', r.subject);
  if (r.type === 'flow') {
    visit('hmx.source.actor.id', r.from);
    visit('hmx.destination.actor.id', r.to);
  }
}

/** The log line of a contract record (a flow sample too: the replay ships them; live flows are counters). `body`: the
 * record's JSON when the caller already holds it (`JSON.stringify(record)`, e.g. the flight recorder's journal line);
 * `timeMs`: its time, when already parsed. Protobuf requests write the same record without the line (`addRecord`). */
export function lifecycleLine(record: ContractRecord, body = JSON.stringify(record), timeMs = Date.parse(record.time)): LogLine {
  const [severityNumber, severityText] = severityOf(record);
  const attributes: Record<string, string | number> = {};
  eachAttribute(record, (key, value) => (attributes[key] = value));
  return { eventName: eventNameOf(record.type), timeMs, severityNumber, severityText, body, attributes };
}

export function keyframeLine(keyframe: Keyframe, body = JSON.stringify(keyframe)): LogLine {
  // The part's identity as structured metadata, so a reader missing a part can query exactly that keyframe's parts.
  const part: Record<string, string | number> = keyframe.part
    ? { 'hmx.keyframe.id': keyframe.part.id, 'hmx.keyframe.part.index': keyframe.part.index, 'hmx.keyframe.part.count': keyframe.part.count }
    : {};
  return {
    eventName: 'hmx.keyframe',
    timeMs: Date.parse(keyframe.time),
    severityNumber: INFO,
    severityText: 'INFO',
    body,
    attributes: { 'event.name': 'hmx.keyframe', 'hmx.emitter': keyframe.emitter, 'hmx.seq': keyframe.seq, ...part },
  };
}

/** Where the live sink puts what it exports (the line batcher). */
export interface LogTarget {
  push(line: LogLine): void;
  /** A contract record as its log record; `body` and `timeMs` when already known (see lifecycleLine). */
  pushRecord(record: ContractRecord, body?: string, timeMs?: number): void;
}

/** The live lifecycle sink: every lifecycle record and keyframe to the target (flow samples are counters). */
export function lifecycleLogSink(target: LogTarget): RecordSink {
  return {
    name: 'otlp-logs',
    write(record, _cursor, json, timeMs) {
      if (record.type !== 'flow') target.pushRecord(record, json, timeMs);
    },
    writeKeyframe(keyframe) {
      target.push(keyframeLine(keyframe));
    },
  };
}
