// The one small interface every telemetry layer implements (one folder per source, like node_exporter collectors).
import type { Layer } from '@harmonix/contract';
import type { CollectionProblems, DataFreshness } from './health.js';
import type { Logger } from './logger.js';
import type { MetricDescriptor, Observation } from './observation.js';
import type { LogSignal, TraceSignal } from './signals.js';

/** What a collection (or a push) hands to the pipeline. Records are validated like ingest. */
export interface Frame {
  observations?: Observation[];
  records?: unknown[];
  /** Single measurements of histogram metrics (each recorded once; they never replace anything). */
  measurements?: Observation[];
  /** Log records (e.g. tailed lines), exported once each under their own resource. */
  logs?: LogSignal[];
  /** Finished traces (e.g. workflow runs), exported once each. */
  traces?: TraceSignal[];
}

export interface SourceContext {
  logger: Logger;
  /** Push path for event-driven sources (watches, tails): frames are normalised like collected ones. */
  emit(frame: Frame): void;
  /** Next sequence number for this source's records (monotonic per emitter). */
  nextSeq(): number;
  /** The emitter id to put on records this source produces. */
  emitter: string;
  /** Host node id of the machine the collector runs on (sources place local actors on it). */
  hostNodeId: string;
}

export interface Source {
  readonly name: string;
  readonly layer: Layer;
  /** Every metric this source may report; samples of undeclared metrics are dropped as malformed. */
  readonly metrics: readonly MetricDescriptor[];
  start?(ctx: SourceContext): Promise<void>;
  /**
   * Pull one frame. Throwing marks the attempt failed (the scheduler retries with backoff).
   * The observations returned replace this source's previous set, so a vanished series disappears.
   */
  collect(ctx: SourceContext, signal: AbortSignal): Promise<Frame>;
  /**
   * How current the served values are, for a source whose collect() can succeed with old values (a cache);
   * without it the scheduler's health decides (core/health.ts scheduledFreshness).
   */
  freshness?(now: number): DataFreshness | undefined;
  /** What part of its latest collection failed although collect() returned (undefined when nothing did). */
  problems?(): CollectionProblems | undefined;
  /** For a source whose reads outlive collect(): resolves once none is running. */
  idle?(): Promise<void>;
  stop?(): Promise<void>;
}

/** Per-source scheduling knobs (from config). */
export interface SourceSchedule {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Consecutive failed cycles before the circuit opens. */
  circuitThreshold: number;
  /** How long the circuit stays open before one trial collection. */
  circuitCooldownMs: number;
}

/** Builds a source from its own config section; registered once per source folder. */
export interface SourceFactory<C = unknown> {
  name: string;
  layer: Layer;
  /** TypeBox/JSON schema of the source's config section (validated before create). */
  configSchema: object;
  defaults: C;
  /** On without configuration (os, hardware: what every host has); every other source is off until configured. */
  enabledByDefault?: boolean;
  /** Its own cadence when the config names none (e.g. '30s'); else the global `interval`. */
  defaultInterval?: string;
  /** Checks across keys a schema cannot express; the loader turns a problem into a ConfigError (exit 2). */
  check?(config: C): ConfigProblem | undefined;
  create(config: C): Source;
}

/** A configuration problem found by a source's own check: the key(s) at fault and what was expected. */
export interface ConfigProblem {
  key: string;
  expected: string;
  got?: unknown;
}

/** A type-erased factory, as the registry stores them. */
export type AnySourceFactory = SourceFactory<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
