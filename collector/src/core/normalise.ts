// Every frame is checked before anything is exported: bad items are dropped and counted by reason, good ones kept.
import { type ContractRecord, type FieldError, validateRecord, type Validation, validator } from '@harmonix/contract';
import type { MetricDescriptor, Observation } from './observation.js';
import { LogSignalSchema, TraceSignalSchema, type LogSignal, type TraceSignal } from './signals.js';

export const DROP_REASONS = [
  'unknown_metric',
  'non_finite_value',
  'negative_counter',
  'unknown_attribute',
  'bad_attribute_value',
  'schema',
  'not_an_object',
  'wrong_kind',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface Dropped {
  reason: DropReason;
  detail: string;
}

export interface NormalisedFrame {
  observations: Observation[];
  /** Histogram measurements. */
  measurements: Observation[];
  records: ContractRecord[];
  logs: LogSignal[];
  traces: TraceSignal[];
  dropped: Dropped[];
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_ATTRIBUTE_TEXT = 256;

/** A sample of a histogram is a measurement (`measurements`); anything else is an observation. */
function checkObservation(o: unknown, metrics: ReadonlyMap<string, MetricDescriptor>, measurement: boolean): Dropped | undefined {
  if (typeof o !== 'object' || o === null) return { reason: 'not_an_object', detail: 'observation' };
  const { metric, value, attributes } = o as Partial<Observation>;
  const descriptor = typeof metric === 'string' ? metrics.get(metric) : undefined;
  if (!descriptor) return { reason: 'unknown_metric', detail: String(metric).slice(0, 100) };
  if ((descriptor.kind === 'histogram') !== measurement) return { reason: 'wrong_kind', detail: descriptor.name };
  if (typeof value !== 'number' || !Number.isFinite(value)) return { reason: 'non_finite_value', detail: descriptor.name };
  if ((descriptor.kind === 'counter' || descriptor.kind === 'histogram') && value < 0) return { reason: 'negative_counter', detail: descriptor.name };
  for (const [key, v] of Object.entries(attributes ?? {})) {
    if (!descriptor.attributes.includes(key)) return { reason: 'unknown_attribute', detail: `${descriptor.name}:${key.slice(0, 100)}` };
    const ok =
      typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= MAX_ATTRIBUTE_TEXT && !CONTROL.test(v));
    if (!ok) return { reason: 'bad_attribute_value', detail: `${descriptor.name}:${key}` };
  }
  return undefined;
}

const checkLog = validator<LogSignal>(LogSignalSchema);
const checkTrace = validator<TraceSignal>(TraceSignalSchema);

export function normaliseFrame(
  frame: { observations?: unknown; measurements?: unknown; records?: unknown; logs?: unknown; traces?: unknown },
  metrics: ReadonlyMap<string, MetricDescriptor>,
): NormalisedFrame {
  const out: NormalisedFrame = { observations: [], measurements: [], records: [], logs: [], traces: [], dropped: [] };
  const list = (key: 'observations' | 'measurements' | 'records' | 'logs' | 'traces'): unknown[] => {
    const v = frame[key];
    if (v !== undefined && !Array.isArray(v)) out.dropped.push({ reason: 'not_an_object', detail: key });
    return Array.isArray(v) ? v : [];
  };
  const records = list('records');
  for (const [key, measurement] of [
    ['observations', false],
    ['measurements', true],
  ] as const) {
    for (const o of list(key)) {
      const bad = checkObservation(o, metrics, measurement);
      if (bad) out.dropped.push(bad);
      else out[key].push(o as Observation);
    }
  }
  const keep = <T>(items: unknown[], check: (input: unknown) => Validation<T>, into: T[], what: string) => {
    for (const item of items) {
      const result = check(item);
      if (result.ok) into.push(result.value);
      else out.dropped.push({ reason: 'schema', detail: `${what}${describeErrors(result.errors)}` });
    }
  };
  keep(records, (r) => validateRecord(r), out.records, '');
  keep(list('logs'), checkLog, out.logs, 'log: ');
  keep(list('traces'), checkTrace, out.traces, 'trace: ');
  return out;
}

export const describeErrors = (errors: FieldError[]) =>
  errors
    .map((e) => `${e.field}: ${e.expected}`)
    .join('; ')
    .slice(0, 300);
