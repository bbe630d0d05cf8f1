// The two signals a source can hand over besides observations and contract records: log records (lines a source
// tails) and traces (workflow runs as spans with their own ids). Neutral types: sources produce them, the pipeline
// checks them against these schemas (core/normalise.ts), the exporter turns them into OTLP; neither knows the other.
import { Type, type Static } from '@sinclair/typebox';

const Time = Type.String({ format: 'date-time', maxLength: 64 });
const Text = (maxLength: number) => Type.String({ maxLength });
/** Attribute values as OTLP carries them; bounded so an outside line cannot blow up an export. */
const Attributes = Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.Union([Text(4096), Type.Number(), Type.Boolean()]), { maxProperties: 64 });
const HexId = (length: number) => Type.String({ pattern: `^[0-9a-f]{${length}}$` });

export const LogSignalSchema = Type.Object(
  {
    /** RFC 3339: the time written in the line when it has one, else when it was read. */
    time: Time,
    /** OTel severity number (1–24) and text. */
    severityNumber: Type.Integer({ minimum: 1, maximum: 24 }),
    severityText: Text(32),
    body: Text(65_536),
    attributes: Attributes,
    /** Resource of what wrote the line (e.g. a daemon with its own service.name), merged over the collector's. */
    resource: Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Text(256), { maxProperties: 16 }),
  },
  { additionalProperties: false },
);
export type LogSignal = Static<typeof LogSignalSchema>;

export const SpanSignalSchema = Type.Object(
  {
    spanId: HexId(16),
    /** Absent on the root span. */
    parentSpanId: Type.Optional(HexId(16)),
    name: Type.String({ minLength: 1, maxLength: 256 }),
    /** Times at the source. */
    startTime: Time,
    endTime: Time,
    status: Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Literal('unset')]),
    attributes: Attributes,
  },
  { additionalProperties: false },
);
export type SpanSignal = Static<typeof SpanSignalSchema>;

/** One trace: a run of something (e.g. a deployment), exported with stable ids so a re-export yields the same trace. */
export const TraceSignalSchema = Type.Object(
  {
    /** What kind of run (exported as `hmx.workflow.kind`). */
    kind: Type.String({ minLength: 1, maxLength: 64 }),
    traceId: HexId(32),
    /** Root span first. */
    spans: Type.Array(SpanSignalSchema, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type TraceSignal = Static<typeof TraceSignalSchema>;
