// Lifecycle records become OTel log records (to Loki): event.name = hmx.<type>, body = the contract JSON.
import type { ContractRecord, Keyframe } from '@harmonix/contract';
import type { RecordSink } from '../core/sink.js';
import type { LogLine } from './otlp-json-logs.js';

// OTel SeverityNumber values (logs data model).
const INFO = 9;
const WARN = 13;
const ERROR = 17;

const SEVERITY: Record<string, [number, string]> = {
  'node.failed': [ERROR, 'ERROR'],
  'actor.exited': [WARN, 'WARN'],
  'node.left': [WARN, 'WARN'],
};

/** Attributes that become Loki structured metadata / labels: ids and kinds, all bounded by the topology's size. */
function attributesOf(r: ContractRecord): Record<string, string | number> {
  const base: Record<string, string | number> = { 'event.name': `hmx.${r.type}`, 'hmx.emitter': r.emitter, 'hmx.seq': r.seq };
  if ('node' in r && typeof r.node === 'object') Object.assign(base, { 'hmx.node.id': r.node.id, 'hmx.layer': r.node.layer });
  if ('actor' in r) Object.assign(base, { 'hmx.actor.id': r.actor.id, 'hmx.node.id': r.actor.node, 'hmx.layer': r.actor.layer });
  if (r.type === 'audit') Object.assign(base, { 'hmx.subject': r.subject });
  if (r.type === 'flow') Object.assign(base, { 'hmx.source.actor.id': r.from, 'hmx.destination.actor.id': r.to });
  return base;
}

/** The log line of a contract record (a flow sample too: the replay ships them; live flows are counters). `body`: the
 * record's JSON when the caller already holds it (`JSON.stringify(record)`, e.g. the flight recorder's journal line). */
export function lifecycleLine(record: ContractRecord, body = JSON.stringify(record), timeMs = Date.parse(record.time)): LogLine {
  const [severityNumber, severityText] =
    record.type === 'audit' ? (record.severity === 'info' ? [INFO, 'INFO'] : [WARN, record.severity.toUpperCase()]) : (SEVERITY[record.type] ?? [INFO, 'INFO']);
  return {
    eventName: `hmx.${record.type}`,
    timeMs,
    severityNumber,
    severityText,
    body,
    attributes: attributesOf(record),
  };
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

/** The live lifecycle sink: every lifecycle record and keyframe as a line for `emit` (flow samples are counters). */
export function lifecycleLogSink(emit: (line: LogLine) => void): RecordSink {
  return {
    name: 'otlp-logs',
    write(record, _cursor, json, timeMs) {
      if (record.type !== 'flow') emit(lifecycleLine(record, json, timeMs));
    },
    writeKeyframe(keyframe) {
      emit(keyframeLine(keyframe));
    },
  };
}
