// Frames from sources (and ingest) → normalisation → observation store / topology. Drops are counted, never thrown.
import type { ContractRecord } from '@harmonix/contract';
import type { BatchHints } from './sink.js';
import type { Topology } from '../topology/service.js';
import { normaliseFrame } from './normalise.js';
import type { MetricDescriptor, Observation } from './observation.js';
import type { LogSignal, TraceSignal } from './signals.js';
import type { Frame, Source } from './source.js';
import { CollectorStats } from './stats.js';
import type { ObservationStore } from './store.js';

/** Where checked log records and traces go (the exporter; nowhere without an OTLP endpoint). */
export interface SignalExport {
  logs(records: readonly LogSignal[]): void;
  traces(traces: readonly TraceSignal[]): void;
}

export class Pipeline {
  private readonly metrics = new Map<string, ReadonlyMap<string, MetricDescriptor>>();
  /** Records a histogram measurement (set by the exporter once its instruments exist). */
  recordMeasurement: (m: Observation) => void = () => undefined;

  constructor(
    readonly store: ObservationStore,
    readonly topology: Topology,
    readonly stats: CollectorStats,
    private readonly warn: (key: string, fields: object, message: string) => void,
    private readonly signals: SignalExport,
  ) {}

  register(source: Pick<Source, 'name' | 'metrics'>): void {
    this.metrics.set(source.name, new Map(source.metrics.map((m) => [m.name, m])));
  }

  /** `replace` for pulled frames (the set is complete), `upsert` for pushed ones. */
  accept(sourceName: string, frame: Frame, mode: 'replace' | 'upsert'): void {
    const normalised = normaliseFrame(frame, this.metrics.get(sourceName) ?? new Map());
    for (const d of normalised.dropped) this.stats.bump(this.stats.dropped, CollectorStats.key(sourceName, d.reason));
    if (normalised.dropped.length) {
      this.warn(
        `drop:${sourceName}`,
        { source: sourceName, dropped: normalised.dropped.length, first: normalised.dropped[0] },
        'dropped invalid frame items, counted in hmx_collector_frames_dropped_total',
      );
    }
    if (mode === 'replace') this.store.replace(sourceName, normalised.observations);
    else if (normalised.observations.length) this.store.upsert(sourceName, normalised.observations);
    for (const m of normalised.measurements) this.recordMeasurement(m);
    this.applyRecords(normalised.records);
    if (normalised.logs.length) this.signals.logs(normalised.logs);
    if (normalised.traces.length) this.signals.traces(normalised.traces);
  }

  applyRecords(records: readonly ContractRecord[], hints?: BatchHints): number {
    return this.topology.applyAll(records, hints);
  }
}
