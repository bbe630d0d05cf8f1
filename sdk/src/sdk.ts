// The actor-runtime SDK: lifecycle events, message wrappers with flow counters and producer/consumer spans.
import { context as otelContext, SpanKind, SpanStatusCode, trace, type Context, type Span, type TracerProvider } from '@opentelemetry/api';
import { type ActorRef, type Attributes, CONTRACT_VERSION, type ContractRecord, type FieldError, type NodeRef, validateRecord } from '@harmonix/contract';
import { IngestBatcher, type BatcherStats } from './batcher.js';
import { SdkError } from './errors.js';
import { FlowCounters } from './flows.js';
import { extractContext, injectContext, setupTracing, type MessageEnvelope, type TracingSetup } from './tracing.js';

export interface SdkOptions {
  /** Runtime/process name; the emitter id is `<name>/<pid>-<startMs>` (unique per incarnation). */
  name: string;
  /** Collector base URL, e.g. http://127.0.0.1:9464 (records go to `<url>/v1/events`). */
  collectorUrl: string;
  /** Bearer token, required when the collector's ingest is bound beyond loopback. */
  token?: string;
  /** Records per request (default 500). */
  batchSize?: number;
  /** Flow samples are cut and partial batches sent this often (default 1000 ms). */
  flushIntervalMs?: number;
  /** Buffered records at most; beyond, the oldest are dropped and counted (default 10000). */
  maxBuffer?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  /** How long close() keeps trying to deliver (default 5000 ms). */
  closeTimeoutMs?: number;
  /** OTLP/HTTP endpoint for spans; default OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT; none → spans not recorded. */
  otlpEndpoint?: string;
  /** Use this tracer provider for message spans (tests, runtimes with their own OTel setup). */
  tracerProvider?: TracerProvider;
  /** `messaging.system` on message spans (default `harmonix-mesh`). */
  messagingSystem?: string;
  /** Delivery problems and refused records (default: ignored; see `stats()`). */
  onError?: (error: SdkError) => void;
}

export interface EventOptions {
  attributes?: Attributes;
  /** When it happened at the source (default now). */
  time?: Date | number | string;
  reason?: string;
}

export type EmitResult = { ok: true; seq: number } | { ok: false; errors: FieldError[] };

export interface SendOptions {
  /** Parent context (e.g. the consumer context of the message being handled), so forwards stay in one trace. */
  parent?: Context;
  /** Bytes on the wire for the flow counter (default: UTF-8 length of the JSON payload). */
  bytes?: number;
}

export interface SdkStats extends BatcherStats {
  emitter: string;
  seq: number;
  /** Records the SDK refused before buffering because they do not fit the contract. */
  invalid: number;
}

type RecordBody = Record<string, unknown> & { type: ContractRecord['type'] };

export class HarmonixSdk {
  readonly emitter: string;
  private seq = 0;
  private invalid = 0;
  private closed = false;
  private readonly flows = new FlowCounters();
  private readonly batcher: IngestBatcher<ContractRecord>;
  private readonly tracing: TracingSetup;
  private readonly timer: NodeJS.Timeout;
  private readonly onError: (error: SdkError) => void;
  private readonly messagingSystem: string;
  private readonly closeTimeoutMs: number;

  constructor(options: SdkOptions) {
    const startMs = Date.now();
    this.emitter = `${options.name}/${process.pid}-${startMs}`;
    this.onError = options.onError ?? (() => {});
    this.messagingSystem = options.messagingSystem ?? 'harmonix-mesh';
    this.closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.batcher = new IngestBatcher<ContractRecord>({
      url: ingestUrl(options.collectorUrl),
      token: options.token,
      batchSize: positive(options.batchSize, 500, 'batchSize'),
      maxBuffer: positive(options.maxBuffer, 10000, 'maxBuffer'),
      retryBaseMs: positive(options.retryBaseMs, 100, 'retryBaseMs'),
      retryMaxMs: positive(options.retryMaxMs, 5000, 'retryMaxMs'),
      requestTimeoutMs: positive(options.requestTimeoutMs, 10000, 'requestTimeoutMs'),
      onError: (e) => this.onError(e),
    });
    this.tracing = setupTracing({
      serviceName: options.name,
      otlpEndpoint: options.otlpEndpoint,
      tracerProvider: options.tracerProvider,
    });
    this.timer = setInterval(() => this.tick(), positive(options.flushIntervalMs, 1000, 'flushIntervalMs'));
    this.timer.unref();
  }

  nodeJoined(node: NodeRef, opts: EventOptions = {}): EmitResult {
    return this.emit({ type: 'node.joined', node }, opts, false);
  }
  nodeLeft(node: NodeRef, opts: EventOptions = {}): EmitResult {
    return this.emit({ type: 'node.left', node }, opts, true);
  }
  nodeFailed(node: NodeRef, opts: EventOptions = {}): EmitResult {
    return this.emit({ type: 'node.failed', node }, opts, true);
  }
  nodeRecovered(node: NodeRef, opts: EventOptions = {}): EmitResult {
    return this.emit({ type: 'node.recovered', node }, opts, false);
  }
  actorSpawned(actor: ActorRef, opts: EventOptions = {}): EmitResult {
    return this.emit({ type: 'actor.spawned', actor }, opts, false);
  }
  actorExited(actor: ActorRef, opts: EventOptions & { exitCode?: number } = {}): EmitResult {
    return this.emit({ type: 'actor.exited', actor, exitCode: opts.exitCode }, opts, true);
  }
  /** `restartCount` is the absolute number of restarts of this actor so far. */
  actorRestarted(actor: ActorRef, restartCount: number, opts: EventOptions = {}): EmitResult {
    return this.emit({ type: 'actor.restarted', actor, restartCount }, opts, true);
  }
  audit(subject: string, message: string, severity: 'info' | 'warning' | 'error' | 'critical' = 'info', opts: EventOptions = {}): EmitResult {
    return this.emit({ type: 'audit', subject, message, severity }, opts, false);
  }

  /**
   * Send a message: a PRODUCER span whose context is written into the envelope headers, then `transport`
   * puts the envelope on the wire. When the transport succeeds the edge's flow counter counts the message
   * (so flows count messages handed to the wire); when it throws the span is marked failed, nothing is
   * counted, and the error is rethrown.
   */
  send<P, T>(from: string, to: string, payload: P, transport: (envelope: MessageEnvelope<P>) => T, opts: SendOptions = {}): T {
    const parent = opts.parent ?? otelContext.active();
    const bytes = opts.bytes ?? byteLength(payload);
    const span = this.tracing.tracer.startSpan(
      `send ${to}`,
      { kind: SpanKind.PRODUCER, attributes: this.messagingAttributes('send', from, to, bytes) },
      parent,
    );
    const envelope: MessageEnvelope<P> = { from, to, payload, headers: {} };
    injectContext(trace.setSpan(parent, span), envelope.headers);
    return settle(
      span,
      () => transport(envelope),
      () => this.flows.record(from, to, 1, bytes),
    );
  }

  /**
   * Handle a received envelope: a CONSUMER span, child of the sender's span (same trace), around `handler`.
   * The handler gets the consumer context to pass as `parent` when it sends further messages.
   */
  receive<P, T>(envelope: MessageEnvelope<P>, handler: (payload: P, ctx: Context) => T): T {
    const parent = extractContext(envelope.headers);
    const span = this.tracing.tracer.startSpan(
      `process ${envelope.to}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: this.messagingAttributes('process', envelope.from, envelope.to, byteLength(envelope.payload)),
      },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    return settle(
      span,
      () => otelContext.with(ctx, () => handler(envelope.payload, ctx)),
      () => {},
    );
  }

  /** Cut flow samples and deliver everything buffered; true when all was delivered (or refused) in time. */
  async flush(timeoutMs = this.closeTimeoutMs): Promise<boolean> {
    this.drainFlows();
    const [delivered] = await Promise.all([this.batcher.flush(timeoutMs), this.tracing.forceFlush().catch(() => {})]);
    return delivered;
  }

  /** Flush (bounded by closeTimeoutMs), stop the timer, shut down the SDK's own span exporter. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.drainFlows();
    this.closed = true;
    clearInterval(this.timer);
    await this.batcher.close(this.closeTimeoutMs);
    await this.tracing.shutdown().catch(() => {});
  }

  stats(): SdkStats {
    return { emitter: this.emitter, seq: this.seq, invalid: this.invalid, ...this.batcher.stats() };
  }

  private tick(): void {
    this.drainFlows();
    void this.batcher.kick();
  }

  private drainFlows(): void {
    if (this.closed) return;
    for (const d of this.flows.drain()) {
      this.emit({ type: 'flow', from: d.from, to: d.to, messages: d.messages, bytes: d.bytes }, {}, false);
    }
  }

  private emit(body: RecordBody, opts: EventOptions, withReason: boolean): EmitResult {
    const record: Record<string, unknown> = {
      v: CONTRACT_VERSION,
      time: toIso(opts.time),
      emitter: this.emitter,
      seq: this.seq + 1,
      ...body,
    };
    if (withReason && opts.reason !== undefined) record.reason = opts.reason;
    if (opts.attributes !== undefined) record.attributes = opts.attributes;
    for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
    const result = validateRecord(record);
    if (!result.ok) {
      this.invalid += 1;
      const first = result.errors[0];
      this.onError(new SdkError('invalid-record', `${body.type} not emitted: ${first?.field} expected ${first?.expected}`, { errors: result.errors }));
      return { ok: false, errors: result.errors };
    }
    if (this.closed) {
      this.onError(new SdkError('dropped', `${body.type} emitted after close(); dropped`, { records: 1 }));
      return { ok: false, errors: [{ field: '/', expected: 'an open SDK (close() was called)' }] };
    }
    this.seq += 1;
    this.batcher.enqueue(result.value);
    return { ok: true, seq: this.seq };
  }

  private messagingAttributes(operation: 'send' | 'process', from: string, to: string, bytes: number) {
    return {
      'messaging.system': this.messagingSystem,
      'messaging.operation.type': operation,
      'messaging.operation.name': operation,
      'messaging.destination.name': to,
      'messaging.message.body.size': bytes,
      'hmx.source.actor.id': from,
      'hmx.destination.actor.id': to,
    };
  }
}

export function createSdk(options: SdkOptions): HarmonixSdk {
  return new HarmonixSdk(options);
}

/** Run `fn` inside a span: end it on success (after `onSuccess`) or mark it failed and rethrow; promises are awaited. */
function settle<T>(span: Span, fn: () => T, onSuccess: () => void): T {
  const fail = (error: unknown) => {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    span.end();
  };
  const succeed = () => {
    onSuccess();
    span.end();
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    fail(error);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => (succeed(), value),
      (error: unknown) => {
        fail(error);
        throw error;
      },
    ) as T;
  }
  succeed();
  return result;
}

function ingestUrl(collectorUrl: string): string {
  let url: URL;
  try {
    url = new URL(collectorUrl);
  } catch {
    throw new TypeError(`collectorUrl: expected an absolute http(s) URL, got ${JSON.stringify(collectorUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`collectorUrl: expected http: or https:, got ${url.protocol}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1/events`;
}

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${field}: expected a positive number, got ${value}`);
  return value;
}

function toIso(time: EventOptions['time']): string {
  if (time === undefined) return new Date().toISOString();
  const date = time instanceof Date ? time : new Date(time);
  return Number.isFinite(date.getTime()) ? date.toISOString() : String(time);
}

function byteLength(payload: unknown): number {
  if (typeof payload === 'string') return Buffer.byteLength(payload);
  if (payload instanceof Uint8Array) return payload.byteLength;
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return 0;
  }
}
