// Only the attribute sets an observable callback reported last time are exported.
//
// With cumulative temporality, @opentelemetry/sdk-metrics 2.x keeps every attribute set an observable instrument
// ever reported and re-exports it, frozen at its last value, forever (TemporalMetricProcessor merges each
// collection into the previous one). The OTel metrics SDK spec says an SDK SHOULD NOT produce data for a
// previously observed attribute set that is not observed during a successful callback. So a dead actor stayed
// `hmx_actor_up 1`. The fix lives at the edges the SDK exposes: a Meter wrapper remembers, per instrument, the
// attribute sets of each callback's latest successful run, and every reader filters its collection by them.
import type {
  Attributes,
  BatchObservableCallback,
  BatchObservableResult,
  Meter,
  MetricOptions,
  Observable,
  ObservableCallback,
  ObservableResult,
} from '@opentelemetry/api';
import type { CollectionResult, MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';

type CollectionOptions = Parameters<MetricReader['collect']>[0];

type AnyCallback = ObservableCallback | BatchObservableCallback;

/** The SDK folds series beyond the cardinality limit into one point carrying this attribute; it is never observed as such. */
const OVERFLOW_ATTRIBUTE = 'otel.metric.overflow';

/** A stable identity for an attribute set, independent of key order. */
export function attributesKey(attributes: Attributes = {}): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((k) => [k, attributes[k]]),
  );
}

export class LiveSeries {
  /** instrument name → callback → attribute keys of that callback's latest successful run */
  private readonly observed = new Map<string, Map<AnyCallback, Set<string>>>();
  /** observable instrument → its name (for batch callbacks, which name instruments by object) */
  private readonly names = new WeakMap<object, string>();

  /** The meter every collector component registers its instruments on. */
  meter(inner: Meter): Meter {
    // The Meter returned below has methods of its own `this`: the filter is reached by name.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const live = this;
    const observable = <T extends Observable>(name: string, instrument: T): T => {
      const wrapped = new Map<ObservableCallback, ObservableCallback>();
      live.names.set(instrument, name);
      // Batch callbacks hand this object back to the SDK, which checks it is its own instrument: keep the prototype.
      const tracked = Object.create(instrument) as T;
      tracked.addCallback = (callback: ObservableCallback) => {
        const w = live.wrap(callback, [name], (result: ObservableResult, record) =>
          callback({ observe: (value, attributes) => (record(name, attributes), result.observe(value, attributes)) }),
        );
        wrapped.set(callback, w);
        instrument.addCallback(w);
      };
      tracked.removeCallback = (callback: ObservableCallback) => {
        const w = wrapped.get(callback);
        if (!w) return;
        instrument.removeCallback(w);
        wrapped.delete(callback);
        live.observed.get(name)?.delete(callback);
      };
      live.names.set(tracked, name);
      return tracked;
    };
    const batches = new Map<BatchObservableCallback, BatchObservableCallback>();
    return {
      createGauge: (name: string, o?: MetricOptions) => inner.createGauge(name, o),
      createHistogram: (name: string, o?: MetricOptions) => inner.createHistogram(name, o),
      createCounter: (name: string, o?: MetricOptions) => inner.createCounter(name, o),
      createUpDownCounter: (name: string, o?: MetricOptions) => inner.createUpDownCounter(name, o),
      createObservableGauge: (name: string, o?: MetricOptions) => observable(name, inner.createObservableGauge(name, o)),
      createObservableCounter: (name: string, o?: MetricOptions) => observable(name, inner.createObservableCounter(name, o)),
      createObservableUpDownCounter: (name: string, o?: MetricOptions) => observable(name, inner.createObservableUpDownCounter(name, o)),
      addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]) {
        const w = live.wrap(
          callback,
          observables.map((o) => live.names.get(o) ?? ''),
          (result: BatchObservableResult, record) =>
            callback({
              observe: (instrument, value, attributes) => (record(live.names.get(instrument), attributes), result.observe(instrument, value, attributes)),
            }),
        );
        batches.set(callback, w);
        inner.addBatchObservableCallback(w, observables);
      },
      removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]) {
        const w = batches.get(callback);
        if (!w) return;
        inner.removeBatchObservableCallback(w, observables);
        batches.delete(callback);
        for (const o of observables) live.observed.get(live.names.get(o) ?? '')?.delete(callback);
      },
    };
  }

  /** Runs `run` with a recorder; the attribute sets it recorded for `names` replace the callback's previous ones only if it succeeds. */
  private wrap<R>(
    callback: AnyCallback,
    names: readonly string[],
    run: (result: R, record: (name: string | undefined, attributes?: Attributes) => void) => void | Promise<void>,
  ) {
    return (result: R): void | Promise<void> => {
      const seen = new Map<string, Set<string>>();
      const record = (name: string | undefined, attributes?: Attributes) => {
        if (name === undefined) return;
        let keys = seen.get(name);
        if (!keys) seen.set(name, (keys = new Set()));
        keys.add(attributes ? this.keyOf(attributes) : attributesKey());
      };
      const commit = () => {
        for (const name of names) {
          let perCallback = this.observed.get(name);
          if (!perCallback) this.observed.set(name, (perCallback = new Map()));
          perCallback.set(callback, seen.get(name) ?? new Set()); // observed nothing this time: no series
        }
      };
      const out = run(result, record);
      if (out instanceof Promise) return out.then(commit);
      commit();
    };
  }

  /**
   * Keys per attribute object: the SDK keeps the first object it saw per series and hands it out at every collection,
   * and callbacks that keep one object per entity (export/metrics.ts) pass the same one each time. Attribute objects
   * are never changed once observed (the SDK would keep the changed one too).
   */
  private readonly keys = new WeakMap<Attributes, string>();

  private keyOf(attributes: Attributes): string {
    let key = this.keys.get(attributes);
    if (key === undefined) this.keys.set(attributes, (key = attributesKey(attributes)));
    return key;
  }

  private isLive(name: string, attributes: Attributes): boolean {
    const perCallback = this.observed.get(name);
    if (!perCallback || attributes[OVERFLOW_ATTRIBUTE] === true) return true; // not an observable instrument, or the overflow point
    const key = this.keyOf(attributes);
    for (const keys of perCallback.values()) if (keys.has(key)) return true;
    return false;
  }

  /** The collection without the data points of attribute sets no callback reported in its latest run. */
  filter(resourceMetrics: ResourceMetrics): ResourceMetrics {
    return {
      ...resourceMetrics,
      scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
        ...scope,
        metrics: scope.metrics.flatMap((metric) => {
          const dataPoints = (metric.dataPoints as { attributes: Attributes }[]).filter((p) => this.isLive(metric.descriptor.name, p.attributes));
          return dataPoints.length === 0 ? [] : [{ ...metric, dataPoints } as typeof metric];
        }),
      })),
    };
  }

  /** Makes `reader` (Prometheus pull or periodic OTLP push: both collect through collect()) export live series only. */
  attach<T extends MetricReader>(reader: T): T {
    const collect = reader.collect.bind(reader);
    reader.collect = async (options?: CollectionOptions): Promise<CollectionResult> => {
      const result = await collect(options);
      return { ...result, resourceMetrics: this.filter(result.resourceMetrics) };
    };
    return reader;
  }
}
