// The hand-written OTLP/JSON logs request is the request the SDK would have sent for the same records: same
// resource, scope, timestamps, severity, body, event name and attributes (conformance with the real OTel Collector
// is shown by the pipeline and recorder outage tests, which send it through otelcol).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogsRequest, encodeResource } from '../../src/export/otlp-json-logs.js';
import { keyframeLine, lifecycleLine } from '../../src/export/lifecycle-logs.js';
import { randomStream } from '../recorder/helpers.js';

const resource = resourceFromAttributes({
  'service.name': 'hmx-collector',
  'host.name': 'h "quoted" ü',
  'process.pid': 4242,
  'hmx.flag': true,
  'hmx.ratio': 0.5,
});

test('encodeLogsRequest equals the SDK JsonLogsSerializer request for the same records (random streams)', () => {
  for (const seed of [2, 13, 77]) {
    const records = randomStream(seed, 60);
    const lines = records.map((r) => (r.type === 'keyframe' ? keyframeLine(r) : lifecycleLine(r)));
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    const logger = provider.getLogger('hmx-collector');
    const observed = Date.now();
    for (const line of lines) {
      logger.emit({
        eventName: line.eventName,
        timestamp: new Date(line.timeMs),
        observedTimestamp: new Date(observed),
        severityNumber: line.severityNumber as SeverityNumber,
        severityText: line.severityText,
        body: line.body,
        attributes: line.attributes,
      });
    }
    const sdk = JSON.parse(new TextDecoder().decode(JsonLogsSerializer.serializeRequest(memory.getFinishedLogRecords() as ReadableLogRecord[]))) as unknown;
    const ours = JSON.parse(encodeLogsRequest(encodeResource(resource), lines, observed)) as unknown;
    assert.deepEqual(strip(ours), strip(sdk), `seed ${seed}`);
  }
});

test('strings that need escaping survive: quotes, backslashes, newlines, unicode, control characters', () => {
  const text = 'a "q" \\ b\nc\t ü 😀 \u0001';
  const line = {
    eventName: 'hmx.audit',
    timeMs: 1_700_000_000_123,
    severityNumber: 9,
    severityText: 'INFO',
    body: JSON.stringify({ message: text }),
    attributes: { 'hmx.subject': text },
  };
  const doc = JSON.parse(encodeLogsRequest(encodeResource(resource), [line])) as {
    resourceLogs: [
      { scopeLogs: [{ logRecords: [{ body: { stringValue: string }; timeUnixNano: string; attributes: [{ value: { stringValue: string } }] }] }] },
    ];
  };
  const rec = doc.resourceLogs[0].scopeLogs[0].logRecords[0];
  assert.equal((JSON.parse(rec.body.stringValue) as { message: string }).message, text);
  assert.equal(rec.attributes[0].value.stringValue, text);
  assert.equal(rec.timeUnixNano, '1700000000123000000');
});

/** Drops what differs only in encoding, not meaning: undefined fields the SDK leaves out after JSON.stringify. */
function strip(doc: unknown): unknown {
  return JSON.parse(
    JSON.stringify(doc, (key, value: unknown) => (key === 'schemaUrl' || (key === 'droppedAttributesCount' && value === 0) ? undefined : value)),
  );
}
