// Deployment runs as workflow traces: one trace per run, the run as root span, each stage as a child span.
// Handed to the pipeline as a TraceSignal (ids are given, so a re-export yields the same trace).
import { createHash } from 'node:crypto';
import type { SpanSignal, TraceSignal } from '../../core/signals.js';
import type { Deployment } from './world.js';

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

export function deploymentRun(d: Deployment): TraceSignal | undefined {
  if (d.ended_at === null) return undefined;
  const base = `observer:deployment:${d.correlation_id}:${d.attempt}`;
  const rootId = hex(`${base}:root`, 16);
  const common = {
    'hmx.correlation_id': d.correlation_id,
    ...(d.node && { 'hmx.node.id': `observer:${d.node}` }),
    ...(d.service && { 'hmx.actor.id': `observer:${d.node}/${d.service}`, 'service.name': d.service }),
  };
  const root: SpanSignal = {
    spanId: rootId,
    name: `deployment ${d.service ?? d.correlation_id}`,
    startTime: d.started_at,
    endTime: d.ended_at,
    status: d.status === 'failed' ? 'error' : 'ok',
    attributes: {
      ...common,
      'hmx.deployment.status': d.status,
      'hmx.deployment.attempt': d.attempt,
      ...(d.diagnostics.length > 0 && { 'hmx.deployment.diagnostics': d.diagnostics.join(',') }),
    },
  };
  const stages = d.stages.map((s, i): SpanSignal => ({
    spanId: hex(`${base}:stage:${i}:${s.name}`, 16),
    parentSpanId: rootId,
    name: s.name,
    startTime: s.started_at,
    endTime: s.ended_at ?? d.ended_at!,
    status: s.status === 'failed' ? 'error' : s.status === 'succeeded' ? 'ok' : 'unset',
    attributes: { ...common, 'hmx.stage.status': s.status },
  }));
  return { kind: 'deployment', traceId: hex(base, 32), spans: [root, ...stages] };
}
