// Deployment runs as workflow traces: one trace per run, the run as root span, each stage as a child span.
// The lead's exporter turns a WorkflowRun into OTel spans (ids are given, so a re-export yields the same trace).
import { createHash } from 'node:crypto';
import type { Deployment } from './world.js';

export interface WorkflowSpan {
  /** 16 hex characters. */
  spanId: string;
  /** Absent on the root span. */
  parentSpanId?: string;
  name: string;
  /** RFC 3339, time at the source. */
  startTime: string;
  endTime: string;
  status: 'ok' | 'error' | 'unset';
  attributes: Record<string, string | number | boolean>;
}

export interface WorkflowRun {
  kind: 'deployment';
  /** 32 hex characters, derived from the correlation id and attempt (stable across rebuilds). */
  traceId: string;
  /** Root span first, then stages in order. */
  spans: WorkflowSpan[];
}

/** A context that can take workflow runs (the exporter adds this to the SourceContext; absent → runs are not exported). */
export interface WorkflowCapableContext {
  emitWorkflowRuns?(runs: WorkflowRun[]): void;
}

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

export function deploymentRun(d: Deployment): WorkflowRun | undefined {
  if (d.ended_at === null) return undefined;
  const base = `observer:deployment:${d.correlation_id}:${d.attempt}`;
  const rootId = hex(`${base}:root`, 16);
  const common = {
    'hmx.correlation_id': d.correlation_id,
    ...(d.node && { 'hmx.node.id': `observer:${d.node}` }),
    ...(d.service && { 'hmx.actor.id': `observer:${d.node}/${d.service}`, 'service.name': d.service }),
  };
  const root: WorkflowSpan = {
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
  const stages = d.stages.map((s, i): WorkflowSpan => ({
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
