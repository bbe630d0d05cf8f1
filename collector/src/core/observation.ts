// Numeric samples a source produces, and the declaration of the metric each one belongs to.
export type InstrumentKind = 'gauge' | 'counter' | 'updowncounter' | 'histogram';

export interface MetricDescriptor {
  /** OTel metric name, e.g. `system.memory.usage`. */
  name: string;
  kind: InstrumentKind;
  /** UCUM unit as the semantic conventions write it (`By`, `s`, `1`, `Cel`, `{restart}`). */
  unit: string;
  description: string;
  /** Attribute keys a sample may carry (anything else is a malformed frame). */
  attributes: readonly string[];
  /** Histograms only: explicit bucket boundaries (the SDK's defaults suit milliseconds, not seconds). */
  buckets?: readonly number[];
}

export type AttributeValue = string | number | boolean;

/**
 * One sample. Gauges and up-down counters carry the current value, counters the cumulative total; a histogram
 * sample is one measurement (a frame's `measurements`), recorded once into the histogram.
 */
export interface Observation {
  metric: string;
  value: number;
  attributes?: Record<string, AttributeValue>;
}
