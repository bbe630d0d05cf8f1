// Bundle files: the archived records as NDJSON (the contract JSON, one per line), compressed with brotli or gzip.
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzip, gzipSync, type BrotliOptions } from 'node:zlib';
import type { ContractRecord, Keyframe } from '@harmonix/contract';
import { READ_LIMITS } from './files.js';
import type { BundleCounts } from './manifest.js';

export type ArchivedRecord = ContractRecord | Keyframe;
export type Compression = 'brotli' | 'gzip';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const EXT: Record<Compression, string> = { brotli: '.ndjson.br', gzip: '.ndjson.gz' };
/** Bundle names: b-<UTC yyyymmddThhmmssZ of the first record's arrival>-<first position, 12 digits>.ndjson.(br|gz) */
export const BUNDLE_NAME = /^b-\d{8}T\d{6}Z-\d{12}\.ndjson\.(br|gz)$/;

export function bundleName(openedMs: number, firstN: number, compression: Compression): string {
  const stamp = new Date(openedMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `b-${stamp}-${String(firstN).padStart(12, '0')}${EXT[compression]}`;
}

/** When a bundle was opened (the archive's clock), from its name: the write time of a bundle a manifest lost. */
export function openedAtOf(file: string): string | undefined {
  const m = /^b-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(file);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : undefined;
}

export type RecordKind = keyof BundleCounts;

export function kindOf(record: ArchivedRecord): RecordKind {
  return record.type === 'flow' ? 'flow' : record.type === 'keyframe' ? 'keyframe' : 'lifecycle';
}

/**
 * Brotli quality 9 for the bundles of normal operation (cut every bundleInterval: small, rare, the archive's size
 * figures); quality 5 for a burst that fills the journal cap (~3× less CPU, ~20 % larger), so on a small machine a
 * 10k events/s burst does not spend a core compressing while records wait to be shipped.
 */
const brotliOptions = (size: number, burst: boolean): BrotliOptions => ({
  params: {
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_QUALITY]: burst ? 5 : 9,
    [constants.BROTLI_PARAM_LGWIN]: 22,
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

/** Off the event loop (zlib thread pool): used for every cut while the collector runs. */
export function compress(ndjson: string | Buffer, compression: Compression, burst = false): Promise<Buffer> {
  const input = typeof ndjson === 'string' ? Buffer.from(ndjson) : ndjson;
  return compression === 'gzip' ? gz(input, { level: burst ? 6 : 9 }) : brotli(input, brotliOptions(input.length, burst));
}

/** Synchronous variant for start-up recovery (sealing journals left by a crash). */
export function compressSync(ndjson: string, compression: Compression): Buffer {
  const input = Buffer.from(ndjson);
  return compression === 'gzip' ? gzipSync(input, { level: 9 }) : brotliCompressSync(input, brotliOptions(input.length, false));
}

/** Throws (RangeError) past READ_LIMITS.decompressedBytes instead of inflating a bomb into memory. */
export function decompress(name: string, data: Buffer): Buffer {
  const limit = { maxOutputLength: READ_LIMITS.decompressedBytes };
  return name.endsWith('.gz') ? gunzipSync(data, limit) : brotliDecompressSync(data, limit);
}

/** Decompresses a bundle and counts its lines (verify: cheaper than parsing); throws on a damaged stream. */
export function countBundleLines(name: string, data: Buffer): number {
  const text = decompress(name, data);
  if (text.length > 0 && text[text.length - 1] !== 0x0a) throw new Error('bundle does not end with a newline (truncated)');
  let lines = 0;
  for (let i = text.indexOf(0x0a); i !== -1; i = text.indexOf(0x0a, i + 1)) lines++;
  return lines;
}

/** Decompresses and parses a bundle; throws on a damaged stream or line. */
export function decodeBundle(name: string, data: Buffer): ArchivedRecord[] {
  const lines = decompress(name, data).toString('utf8').split('\n');
  if (lines.pop() !== '') throw new Error('bundle does not end with a newline (truncated)');
  const flows = new FlowCodec();
  return lines.map((line, i) => {
    try {
      return line.startsWith('[') ? flows.decode(JSON.parse(line) as CompactFlow) : (JSON.parse(line) as ArchivedRecord);
    } catch (err) {
      throw new Error(`line ${i + 1} is not a record (${(err as Error).message})`);
    }
  });
}

/**
 * Bundle text: one record per line. Lifecycle records and keyframes are their contract JSON. Flow samples — nearly
 * all of the volume — are compact arrays [Δtime ms, emitter, Δseq of that emitter, from, to, messages, bytes] where a
 * string is written once and then referenced by its index; a sample that would not come back identical (extra
 * fields, a time not in toISOString form) stays plain JSON. Decoded flows have the contract's key order.
 */
export function encodeBundle(records: readonly ArchivedRecord[], jsons?: readonly string[]): string {
  const flows = new FlowCodec();
  // A non-flow record's bundle line is its journal line (`JSON.stringify(record)`): reused, not re-serialised.
  return records.map((r, i) => `${r.type === 'flow' ? JSON.stringify(flows.encode(r) ?? r) : (jsons?.[i] ?? JSON.stringify(r))}\n`).join('');
}

type FlowSample = Extract<ArchivedRecord, { type: 'flow' }>;
type Ref = string | number;
type CompactFlow = [number, Ref, number, Ref, Ref, number, number];
const FLOW_KEYS = 9;

class FlowCodec {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly lastSeq = new Map<string, number>();
  private lastTime = 0;

  encode(r: FlowSample): CompactFlow | undefined {
    const t = Date.parse(r.time);
    if (Object.keys(r).length !== FLOW_KEYS || r.v !== 1 || !Number.isFinite(t) || new Date(t).toISOString() !== r.time) return undefined;
    if (![r.seq, r.messages, r.bytes].every(Number.isSafeInteger) || typeof r.emitter !== 'string' || typeof r.from !== 'string' || typeof r.to !== 'string')
      return undefined;
    const dt = t - this.lastTime;
    this.lastTime = t;
    const ds = r.seq - (this.lastSeq.get(r.emitter) ?? 0);
    this.lastSeq.set(r.emitter, r.seq);
    return [dt, this.ref(r.emitter), ds, this.ref(r.from), this.ref(r.to), r.messages, r.bytes];
  }

  decode(a: CompactFlow): FlowSample {
    if (!Array.isArray(a) || a.length !== 7) throw new Error('compact flow with a wrong shape');
    const [dt, e, ds, f, o, messages, bytes] = a;
    this.lastTime += dt;
    const emitter = this.deref(e);
    const seq = (this.lastSeq.get(emitter) ?? 0) + ds;
    this.lastSeq.set(emitter, seq);
    const from = this.deref(f);
    const to = this.deref(o);
    return { v: 1, type: 'flow', time: new Date(this.lastTime).toISOString(), emitter, seq, from, to, messages, bytes };
  }

  private ref(s: string): Ref {
    const i = this.ids.get(s);
    if (i !== undefined) return i;
    this.ids.set(s, this.ids.size);
    return s;
  }

  private deref(r: Ref): string {
    if (typeof r === 'string') {
      this.strings.push(r);
      return r;
    }
    const s = this.strings[r];
    if (s === undefined) throw new Error(`compact flow references unknown string #${r}`);
    return s;
  }
}

export function timeRange(records: readonly ArchivedRecord[]): { from: string; to: string } {
  const { lo, hi } = msRange(records);
  return isoRange(lo, hi);
}

/** Oldest and newest record time, in ms. */
export function msRange(records: readonly ArchivedRecord[]): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of records) {
    const t = Date.parse(r.time);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return { lo, hi };
}

export const isoRange = (lo: number, hi: number) => ({ from: new Date(lo).toISOString(), to: new Date(hi).toISOString() });

export function countKinds(records: readonly ArchivedRecord[]): BundleCounts {
  const counts: BundleCounts = { lifecycle: 0, flow: 0, keyframe: 0 };
  for (const r of records) counts[kindOf(r)]++;
  return counts;
}
