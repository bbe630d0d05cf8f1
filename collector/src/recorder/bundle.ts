// Bundle files: the archived records as NDJSON (the contract JSON, one per line), compressed with brotli or gzip.
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzip, gzipSync, type BrotliOptions } from 'node:zlib';
import type { ContractRecord, Keyframe } from '../contract/events.js';
import type { BundleCounts } from './manifest.js';

export type ArchivedRecord = ContractRecord | Keyframe;
export type Compression = 'brotli' | 'gzip';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const EXT: Record<Compression, string> = { brotli: '.ndjson.br', gzip: '.ndjson.gz' };
/** Bundle names: b-<UTC yyyymmddThhmmssZ of the first record's arrival>-<first position, 12 digits>.ndjson.(br|gz) */
export const BUNDLE_NAME = /^b-\d{8}T\d{6}Z-\d{12}\.ndjson\.(br|gz)$/;

export function bundleName(openedMs: number, firstN: number, compression: Compression): string {
  const stamp = new Date(openedMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `b-${stamp}-${String(firstN).padStart(12, '0')}${EXT[compression]}`;
}

export type RecordKind = keyof BundleCounts;

export function kindOf(record: ArchivedRecord): RecordKind {
  return record.type === 'flow' ? 'flow' : record.type === 'keyframe' ? 'keyframe' : 'lifecycle';
}

const brotliOptions = (size: number): BrotliOptions => ({
  params: {
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_QUALITY]: 9,
    [constants.BROTLI_PARAM_LGWIN]: 22,
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

/** Off the event loop (zlib thread pool): used for every cut while the collector runs. */
export function compress(ndjson: string, compression: Compression): Promise<Buffer> {
  const input = Buffer.from(ndjson);
  return compression === 'gzip' ? gz(input, { level: 9 }) : brotli(input, brotliOptions(input.length));
}

/** Synchronous variant for start-up recovery (sealing journals left by a crash). */
export function compressSync(ndjson: string, compression: Compression): Buffer {
  const input = Buffer.from(ndjson);
  return compression === 'gzip' ? gzipSync(input, { level: 9 }) : brotliCompressSync(input, brotliOptions(input.length));
}

export const toNdjson = (records: readonly ArchivedRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

/** Decompresses and parses a bundle; throws on a damaged stream or line. */
export function decodeBundle(name: string, data: Buffer): ArchivedRecord[] {
  const text = (name.endsWith('.gz') ? gunzipSync(data) : brotliDecompressSync(data)).toString('utf8');
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('bundle does not end with a newline (truncated)');
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as ArchivedRecord;
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
  });
}

export function timeRange(records: readonly ArchivedRecord[]): { from: string; to: string } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of records) {
    const t = Date.parse(r.time);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return { from: new Date(lo).toISOString(), to: new Date(hi).toISOString() };
}

export function countKinds(records: readonly ArchivedRecord[]): BundleCounts {
  const counts: BundleCounts = { lifecycle: 0, flow: 0, keyframe: 0 };
  for (const r of records) counts[kindOf(r)]++;
  return counts;
}
