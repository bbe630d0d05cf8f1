// Lifecycle records become OTel log records (to Loki): event.name = hmx.<type>, body = the contract JSON.
import { SeverityNumber, type Logger as OtelLogger } from '@opentelemetry/api-logs';
import type { ContractRecord, Keyframe } from '../contract/events.js';
import type { RecordSink } from '../core/sink.js';

const SEVERITY: Record<string, [SeverityNumber, string]> = {
  'node.failed': [SeverityNumber.ERROR, 'ERROR'],
  'actor.exited': [SeverityNumber.WARN, 'WARN'],
  'node.left': [SeverityNumber.WARN, 'WARN'],
};

/** Attributes that become Loki structured metadata / labels: ids and kinds, all bounded by the topology's size. */
function attributesOf(r: ContractRecord): Record<string, string | number> {
  const base: Record<string, string | number> = { 'event.name': `hmx.${r.type}`, 'hmx.emitter': r.emitter, 'hmx.seq': r.seq };
  if ('node' in r && typeof r.node === 'object') Object.assign(base, { 'hmx.node.id': r.node.id, 'hmx.layer': r.node.layer });
  if ('actor' in r) Object.assign(base, { 'hmx.actor.id': r.actor.id, 'hmx.node.id': r.actor.node, 'hmx.layer': r.actor.layer });
  if (r.type === 'audit') Object.assign(base, { 'hmx.subject': r.subject });
  return base;
}

export function lifecycleLogSink(logger: OtelLogger): RecordSink {
  return {
    name: 'otlp-logs',
    write(record) {
      // Flow samples are counters (metrics), not log lines.
      if (record.type === 'flow') return;
      const [severityNumber, severityText] =
        record.type === 'audit'
          ? record.severity === 'info'
            ? [SeverityNumber.INFO, 'INFO']
            : [SeverityNumber.WARN, record.severity.toUpperCase()]
          : (SEVERITY[record.type] ?? [SeverityNumber.INFO, 'INFO']);
      emit(logger, record, severityNumber, severityText, attributesOf(record));
    },
    writeKeyframe(keyframe) {
      // The part's identity as structured metadata, so a reader missing a part can query exactly that keyframe's parts.
      const part: Record<string, string | number> = keyframe.part ? { 'hmx.keyframe.id': keyframe.part.id, 'hmx.keyframe.part.index': keyframe.part.index, 'hmx.keyframe.part.count': keyframe.part.count } : {};
      emit(logger, keyframe, SeverityNumber.INFO, 'INFO', { 'event.name': 'hmx.keyframe', 'hmx.emitter': keyframe.emitter, 'hmx.seq': keyframe.seq, ...part });
    },
  };
}

function emit(
  logger: OtelLogger,
  record: ContractRecord | Keyframe,
  severityNumber: SeverityNumber,
  severityText: string,
  attributes: Record<string, string | number>,
): void {
  logger.emit({
    eventName: `hmx.${record.type}`,
    timestamp: new Date(record.time),
    observedTimestamp: new Date(),
    severityNumber,
    severityText,
    body: JSON.stringify(record),
    attributes,
  });
}
