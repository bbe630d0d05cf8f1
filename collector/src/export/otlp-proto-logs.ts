// Lifecycle log lines as an OTLP/HTTP protobuf ExportLogsServiceRequest (opentelemetry-proto, logs/v1), written
// straight into one buffer. Measured against the JSON request for the same lines: ~40 % less CPU and half the bytes,
// because a body is copied as UTF-8 instead of being escaped into a JSON string a second time. The SDK's own
// ProtobufWriter copies strings one char at a time in JS; Buffer#write does it natively.
import type { ContractRecord } from '@harmonix/contract';
import { eachAttribute, eventNameOf, severityOf } from './lifecycle-logs.js';
import type { LogLine } from './otlp-json-logs.js';

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
/** Length prefix reserved for a nested message of unknown length: 3 varint bytes hold up to 2 MiB - 1. */
const SHORT = 3;
/** For the request's outer messages (all its records): 5 bytes hold any 32-bit length. */
const LONG = 5;

class Writer {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  varint(v: number): void {
    this.room(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }
  /** Every field number here is below 16: its tag is one byte. */
  tag(field: number, wire: number): void {
    this.room(1);
    this.buf[this.pos++] = (field << 3) | wire;
  }
  string(field: number, s: string): void {
    this.tag(field, LEN);
    if (s.length < 0x80 && this.ascii(s)) return;
    // Longer text is written first and its length filled in after, in as many bytes as its longest UTF-8 form
    // could need: Buffer.byteLength would copy the string once more just to count.
    const most = 3 * s.length;
    const width = most < 2 ** 14 ? 2 : most < 2 ** 21 ? SHORT : LONG;
    this.room(width + most);
    const at = (this.pos += width);
    this.pos += this.buf.write(s, at, most, 'utf8');
    this.end(at, width);
  }
  /**
   * A short ASCII string (ids, names, keys: most strings of a record) copied in JS after a one-byte length: a
   * native call per string cost more than the copy. False, with nothing written, when a character is not ASCII.
   */
  private ascii(s: string): boolean {
    this.room(1 + s.length);
    const buf = this.buf;
    let p = this.pos + 1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      buf[p++] = c;
    }
    buf[this.pos] = s.length;
    this.pos = p;
    return true;
  }
  double(field: number, v: number): void {
    this.tag(field, FIXED64);
    this.room(8);
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }
  /** Unix milliseconds as fixed64 nanoseconds, exactly: ms × 10⁶ is past 2⁵³, so it is built from 16-bit halves. */
  nanos(field: number, ms: number): void {
    this.tag(field, FIXED64);
    this.room(8);
    const t = Math.trunc(ms);
    const high = Math.floor(t / 0x10000) * 1e6; // × 2¹⁶ below
    const low = (high % 0x10000) * 0x10000 + (t % 0x10000) * 1e6; // < 2⁵³
    this.buf.writeUInt32LE(low % 0x100000000, this.pos);
    this.buf.writeUInt32LE(Math.floor(high / 0x10000) + Math.floor(low / 0x100000000), this.pos + 4);
    this.pos += 8;
  }
  /** Opens a nested message; `end` fills in its length as a padded varint (protobuf parsers accept redundant 0x80 bytes). */
  start(field: number, width = SHORT): number {
    this.tag(field, LEN);
    this.room(width);
    this.pos += width;
    return this.pos;
  }
  end(at: number, width = SHORT): void {
    let n = this.pos - at;
    if (n >= 2 ** (7 * width)) throw new RangeError(`protobuf message of ${n} bytes does not fit its ${width}-byte length`);
    for (let i = width; i > 1; i--) {
      this.buf[at - i] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[at - 1] = n;
  }
}

/** AnyValue (common/v1): string_value 1, bool_value 2, int_value 3, double_value 4, array_value 5. */
function anyValue(w: Writer, v: unknown): void {
  if (typeof v === 'string') {
    w.string(1, v);
  } else if (typeof v === 'boolean') {
    w.tag(2, VARINT);
    w.varint(v ? 1 : 0);
  } else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
    w.tag(3, VARINT);
    w.varint(v);
  } else if (typeof v === 'number') {
    w.double(4, v); // negative or fractional: the contract's own attributes never are
  } else if (Array.isArray(v)) {
    const arr = w.start(5);
    for (const item of v) {
      const value = w.start(1);
      anyValue(w, item);
      w.end(value);
    }
    w.end(arr);
  } else {
    w.string(1, String(v));
  }
}

/** Repeated KeyValue under `field`; absent values are left out. */
function keyValues(w: Writer, field: number, attrs: Readonly<Record<string, unknown>>): void {
  for (const key in attrs) keyValue(w, field, key, attrs[key]);
}

function keyValue(w: Writer, field: number, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const kv = w.start(field);
  w.string(1, key);
  const v = w.start(2);
  anyValue(w, value);
  w.end(v);
  w.end(kv);
}

/**
 * An ExportLogsServiceRequest (one resource, the scope `hmx-collector`) built as lines come: each is encoded when it
 * is added, so a batch waiting for its send is bytes, not objects the garbage collector keeps copying.
 */
export class ProtoLogsRequest {
  private readonly w: Writer;
  private readonly resourceLogs: number;
  private readonly scopeLogs: number;
  count = 0;

  constructor(resource: Readonly<Record<string, unknown>>, sizeHint = 64 * 1024) {
    const w = (this.w = new Writer(sizeHint));
    this.resourceLogs = w.start(1, LONG); // ExportLogsServiceRequest.resource_logs
    const res = w.start(1); // ResourceLogs.resource
    keyValues(w, 1, resource);
    w.end(res);
    this.scopeLogs = w.start(2, LONG); // ResourceLogs.scope_logs
    const scope = w.start(1); // ScopeLogs.scope
    w.string(1, 'hmx-collector');
    w.end(scope);
  }

  add(line: LogLine, observedMs = Date.now()): void {
    const lr = this.open(line.timeMs, line.severityNumber, line.severityText, line.body);
    keyValues(this.w, 6, line.attributes);
    this.close(lr, observedMs, line.eventName);
  }

  /** The record's log line (lifecycleLine's), written without building it: no line or attribute object per record. */
  addRecord(record: ContractRecord, body = JSON.stringify(record), timeMs = Date.parse(record.time), observedMs = Date.now()): void {
    const [severityNumber, severityText] = severityOf(record);
    const lr = this.open(timeMs, severityNumber, severityText, body);
    eachAttribute(record, this.attribute);
    this.close(lr, observedMs, eventNameOf(record.type));
  }

  private readonly attribute = (key: string, value: string | number) => keyValue(this.w, 6, key, value);

  /** A LogRecord up to its body (fields in field-number order, as the SDK's serializer writes them). */
  private open(timeMs: number, severityNumber: number, severityText: string, body: string): number {
    const w = this.w;
    const lr = w.start(2, LONG); // ScopeLogs.log_records (a keyframe part's body can pass 2 MiB as UTF-8)
    w.nanos(1, timeMs);
    w.tag(2, VARINT);
    w.varint(severityNumber);
    w.string(3, severityText);
    const value = w.start(5, LONG);
    w.string(1, body);
    w.end(value, LONG);
    return lr;
  }

  private close(lr: number, observedMs: number, eventName: string): void {
    this.w.nanos(11, observedMs);
    this.w.string(12, eventName);
    this.w.end(lr, LONG);
    this.count++;
  }

  /** The request's bytes (the lengths of its outer messages filled in; adding after this is not allowed). */
  finish(): Uint8Array {
    this.w.end(this.scopeLogs, LONG);
    this.w.end(this.resourceLogs, LONG);
    return this.w.buf.subarray(0, this.w.pos);
  }
}
