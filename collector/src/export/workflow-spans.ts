// Workflow runs (deployments by correlation id) become finished spans with the run's own ids, so a rebuilt world
// produces the same trace ids and Tempo shows each run once.
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { millisToHrTime, hrTimeDuration } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TraceSignal } from '../core/signals.js';

const STATUS = { ok: SpanStatusCode.OK, error: SpanStatusCode.ERROR, unset: SpanStatusCode.UNSET } as const;

export function workflowSpans(run: TraceSignal, resource: Resource): ReadableSpan[] {
  return run.spans.map((s) => {
    const startTime = millisToHrTime(Date.parse(s.startTime));
    const endTime = millisToHrTime(Math.max(Date.parse(s.endTime), Date.parse(s.startTime)));
    const context = { traceId: run.traceId, spanId: s.spanId, traceFlags: TraceFlags.SAMPLED };
    return {
      name: s.name,
      kind: SpanKind.INTERNAL,
      spanContext: () => context,
      parentSpanContext: s.parentSpanId ? { traceId: run.traceId, spanId: s.parentSpanId, traceFlags: TraceFlags.SAMPLED } : undefined,
      startTime,
      endTime,
      status: { code: STATUS[s.status] },
      attributes: { ...s.attributes, 'hmx.workflow.kind': run.kind },
      links: [],
      events: [],
      duration: hrTimeDuration(startTime, endTime),
      ended: true,
      resource,
      instrumentationScope: { name: 'hmx-collector/workflows' },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  });
}
