// The archive: records go to a journal at once, are cut into compressed bundles (every bundleInterval, at N records,
// at a journal size cap and at every UTC midnight — the 24 h rotation), listed in the manifest, and evicted by age and
// by the size budget (oldest first).
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import {
  BUNDLE_NAME,
  bundleName,
  compress,
  openedAtOf,
  compressSync,
  countKinds,
  decodeBundle,
  kindOf,
  timeRange,
  isoRange,
  msRange,
  encodeBundle,
  type ArchivedRecord,
  type Compression,
} from './bundle.js';
import { atomicWrite, atomicWriteAsync, ensureArchiveDir, readRegularFile, READ_LIMITS, removeOwnFile, sizeOf } from './files.js';
import { Journal, recoverJournals } from './journal.js';
import { lockArchive } from './lock.js';
import {
  emptyManifest,
  MANIFEST_NAME,
  readManifest,
  sha256,
  unadoptable,
  writeManifest,
  writeManifestAsync,
  type BundleEntry,
  type ManifestBody,
} from './manifest.js';
import { loadBundle } from './read.js';

export interface ArchiveOptions {
  dir: string;
  compression: Compression;
  bundleIntervalMs: number;
  bundleMaxRecords: number;
  retentionMs: number;
  maxBytes: number;
  logger: Logger;
  now?: () => number;
}

export interface Positioned {
  n: number;
  record: ArchivedRecord;
  /** The record's contract JSON as the journal holds it, while its segment is in memory (the shipper sends it as the
   * log body instead of serialising the record again). */
  json?: string;
}

interface Segment {
  firstN: number;
  openedMs: number;
  records: ArchivedRecord[];
  /** Each record's JSON, as its journal line holds it before the newline (the bundle and the shipper reuse them). */
  lines: string[];
  /** Flow samples among the records (a bundle stores them compactly, unlike the journal). */
  flows: number;
  /** Oldest and newest record time (ms), kept as records come so a cut need not parse every time again. */
  lo: number;
  hi: number;
  /** Absent for journals recovered at start-up (their file is removed by recover()). */
  journal?: Journal;
}

interface CommitPlan {
  seg: Segment | undefined;
  entry: BundleEntry | undefined;
  keep: BundleEntry[];
  evicted: { entry: BundleEntry; reason: string }[];
  writesManifest: boolean;
}

export type ReadResult = { kind: 'records'; items: Positioned[] } | { kind: 'corrupt'; entry: BundleEntry; detail: string } | { kind: 'end' };

const DAY = 86_400_000;
const MANIFEST_SLACK = 4096;
/** Records that ship as log records (everything but flow samples). */
export const ships = (r: ArchivedRecord) => kindOf(r) !== 'flow';

export class Archive {
  private manifest: ManifestBody;
  private nextN: number;
  private open: Segment;
  private readonly sealing: Segment[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private cache?: { file: string; records: ArchivedRecord[] };
  private closed = false;
  private readonly unlock: () => void;
  private lastRetention = 0;
  private readonly now: () => number;
  readonly journalCap: number;
  /** Highest archive position acknowledged by the shipper (records above it are still owed to the endpoint). */
  ackedN: () => number = () => Number.POSITIVE_INFINITY;
  /** Called for every record appended (with its position). */
  onAppend?: (n: number, record: ArchivedRecord) => void;
  /** Called when records still owed to the endpoint are deleted (size budget, retention, corruption). */
  onDropped?: (count: number, reason: string) => void;
  /**
   * Records whose source time was already older than the retention window when they were archived (a backlog flushed
   * after a long outage). They are kept like any other record: retention counts from when a bundle is written.
   */
  lateRecords = 0;

  constructor(readonly options: ArchiveOptions) {
    this.now = options.now ?? Date.now;
    this.journalCap = Math.min(4 * 1024 * 1024, Math.floor(options.maxBytes / 16));
    ensureArchiveDir(options.dir);
    this.unlock = lockArchive(options.dir);
    try {
      this.manifest = this.loadOrRebuildManifest();
      this.nextN = this.manifest.nextN;
      this.removeLeftovers();
      this.recover();
      this.open = this.newSegment();
    } catch (err) {
      this.unlock();
      throw err;
    }
    this.timer = setInterval(() => this.tick(), Math.min(1000, options.bundleIntervalMs));
    this.timer.unref();
  }

  get dir(): string {
    return this.options.dir;
  }

  get bundles(): readonly BundleEntry[] {
    return this.manifest.bundles;
  }

  /** Position of the last record archived (0 when none yet). */
  get lastN(): number {
    return this.nextN - 1;
  }

  /** Bytes on disk: bundles, manifest and journals. */
  get bytes(): number {
    return this.bundleBytes() + sizeOf(join(this.dir, MANIFEST_NAME)) + this.journalBytes();
  }

  /** `json`, `t`: the record exactly as JSON.stringify writes it and its time in ms, when the caller holds them (see RecordSink.write). */
  append(record: ArchivedRecord, json?: string, t = Date.parse(record.time)): number {
    if (this.closed) throw new Error('archive is closed');
    const n = this.nextN++;
    const now = this.now();
    const seg = this.open;
    if (seg.records.length === 0) seg.openedMs = now;
    if (t < seg.lo) seg.lo = t;
    if (t > seg.hi) seg.hi = t;
    if (record.type === 'flow') seg.flows++;
    if (t < now - this.options.retentionMs && this.lateRecords++ % 1000 === 0) {
      this.options.logger.warn(
        { time: record.time, emitter: record.emitter, late: this.lateRecords },
        'flight recorder: archiving records older than the retention window (a late backlog); they are kept for the full retention from now',
      );
    }
    const journal = seg.journal!;
    const line = json ?? JSON.stringify(record);
    journal.append(line);
    seg.records.push(record);
    seg.lines.push(line);
    this.onAppend?.(n, record);
    if (seg.records.length >= this.options.bundleMaxRecords || journal.bytes >= this.journalCap) void this.cut(true);
    return n;
  }

  /** Writes the journal lines appended since the last batch (call before acknowledging the records). */
  endBatch(): void {
    for (const s of [...this.sealing, this.open]) s.journal?.write();
  }

  /**
   * Seals the open segment into a bundle (asynchronously, in order). Resolves when it is on disk. `burst`: the
   * journal filled up (records arrive fast), so compression trades some size for CPU.
   */
  cut(burst = false): Promise<void> {
    const seg = this.open;
    if (seg.records.length > 0) {
      this.open = this.newSegment(!this.closed);
      this.sealing.push(seg);
      this.enqueue(async () => {
        // Without flow samples a bundle holds exactly the journal's lines, whose bytes the journal kept.
        seg.journal?.write();
        const ndjson = seg.flows === 0 && seg.journal ? Buffer.concat(seg.journal.written) : encodeBundle(seg.records, seg.lines);
        const data = await compress(ndjson, this.options.compression, burst);
        await this.commitAsync(seg, data);
      });
    }
    return this.chain;
  }

  /** Applies retention by age and the size budget now. */
  enforceRetention(): Promise<void> {
    this.enqueue(() => this.commitAsync(undefined, undefined));
    return this.chain;
  }

  /** Records from position `n` on (within one bundle or segment), or the corrupt bundle in the way, or the end. */
  readFrom(n: number, max: number): ReadResult {
    // Sealed bundles first, then segments still in memory; a position in a gap (evicted, dropped) moves to the next one.
    const entry = this.manifest.bundles.find((b) => b.lastN >= n);
    const seg = [...this.sealing, this.open].find((s) => s.records.length > 0 && s.firstN + s.records.length - 1 >= n);
    if (seg && (!entry || seg.firstN <= entry.firstN)) {
      return { kind: 'records', items: positioned(seg.firstN, seg.records, Math.max(n, seg.firstN), max, seg.lines) };
    }
    if (!entry) return { kind: 'end' };
    let records = this.cache?.file === entry.file ? this.cache.records : undefined;
    if (!records) {
      const loaded = loadBundle(this.dir, entry);
      if (!loaded.ok) return { kind: 'corrupt', entry, detail: loaded.detail };
      records = loaded.records;
      this.cache = { file: entry.file, records };
    }
    return { kind: 'records', items: positioned(entry.firstN, records, Math.max(n, entry.firstN), max) };
  }

  /** Records that ship (lifecycle + keyframes) with a position above `after`, across bundles and memory. */
  countShippableAfter(after: number): number {
    let count = 0;
    for (const b of this.manifest.bundles) count += this.shippableIn(b, after);
    for (const seg of [...this.sealing, this.open]) {
      seg.records.forEach((r, i) => {
        if (seg.firstN + i > after && ships(r)) count++;
      });
    }
    return count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.cut();
    await this.open.journal?.remove();
    this.unlock();
  }

  private journalBytes(): number {
    // `open` is unset while the constructor recovers journals.
    return [...this.sealing, this.open].reduce((sum, s) => sum + (s?.journal?.bytes ?? 0), 0);
  }

  private newSegment(withJournal = true): Segment {
    const journal = withJournal ? new Journal(this.dir, this.nextN) : undefined;
    return { firstN: this.nextN, openedMs: this.now(), records: [], lines: [], flows: 0, lo: Infinity, hi: -Infinity, journal };
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => {
      this.options.logger.error({ err: String(err), dir: this.dir }, 'flight recorder: archive write failed');
    });
  }

  private tick(): void {
    const now = this.now();
    for (const s of [...this.sealing, this.open]) {
      s.journal?.sync().catch((err: unknown) => this.options.logger.error({ err: String(err), dir: this.dir }, 'flight recorder: journal sync failed'));
    }
    const seg = this.open;
    if (seg.records.length > 0 && (now - seg.openedMs >= this.options.bundleIntervalMs || Math.floor(now / DAY) !== Math.floor(seg.openedMs / DAY))) {
      void this.cut();
    } else if (now - this.lastRetention >= 60_000) {
      void this.enforceRetention();
    }
  }

  private bundleBytes(): number {
    return this.manifest.bundles.reduce((sum, b) => sum + b.bytes, 0);
  }

  /**
   * Writes a sealed segment (if any) after evicting what age and budget require, then the manifest, then deletes.
   * Order matters for crashes: bundle file → manifest → unlink evicted bundles and the journal. This is the start-up
   * form (recovery, before anything runs); the running archive commits with `commitAsync`, in the same order.
   */
  private commit(seg: Segment | undefined, data: Buffer | undefined): void {
    const plan = this.planCommit(seg, data);
    if (plan.entry && data) atomicWrite(this.dir, plan.entry.file, data);
    this.adopt(plan);
    if (plan.writesManifest) writeManifest(this.dir, this.manifest);
    this.settle(plan); // a recovered segment has no journal to remove
  }

  /** `commit` with every file write off the event loop: the segment stays readable in memory until it is settled. */
  private async commitAsync(seg: Segment | undefined, data: Buffer | undefined): Promise<void> {
    const plan = this.planCommit(seg, data);
    if (plan.entry && data) await atomicWriteAsync(this.dir, plan.entry.file, data);
    this.adopt(plan);
    if (plan.writesManifest) await writeManifestAsync(this.dir, this.manifest);
    await this.settle(plan);
  }

  /** What a commit will do, decided in memory: the new bundle's entry, the bundles kept and those evicted. */
  private planCommit(seg: Segment | undefined, data: Buffer | undefined): CommitPlan {
    this.lastRetention = this.now();
    const keep = [...this.manifest.bundles];
    const evicted: { entry: BundleEntry; reason: string }[] = [];
    const horizon = this.now() - this.options.retentionMs;
    while (keep.length && Date.parse(keep[0]!.sealed ?? keep[0]!.to) < horizon) evicted.push({ entry: keep.shift()!, reason: 'retention' });
    let entry: BundleEntry | undefined;
    if (seg && data) {
      const { from, to } = isoRange(seg.lo, seg.hi);
      entry = {
        file: bundleName(seg.openedMs, seg.firstN, this.options.compression),
        from,
        to,
        firstN: seg.firstN,
        lastN: seg.firstN + seg.records.length - 1,
        counts: countKinds(seg.records),
        bytes: data.length,
        sha256: sha256(data),
        sealed: new Date(this.lastRetention).toISOString(),
      };
    }
    const manifestEstimate = JSON.stringify(this.manifest).length + 400 + MANIFEST_SLACK;
    const fits = () =>
      keep.reduce((s, b) => s + b.bytes, 0) + (entry?.bytes ?? 0) + manifestEstimate + this.journalBytes() + this.journalCap <= this.options.maxBytes;
    while (!fits() && keep.length) evicted.push({ entry: keep.shift()!, reason: 'size budget' });
    if (entry && seg && !fits()) {
      const owed = seg.records.filter((r, i) => seg.firstN + i > this.ackedN() && ships(r)).length;
      this.options.logger.error(
        { bundle: entry.file, bytes: entry.bytes, maxBytes: this.options.maxBytes },
        'flight recorder: bundle larger than the whole size budget; not archived',
      );
      if (owed) this.onDropped?.(owed, 'size budget');
      entry = undefined;
    }
    return { seg, entry, keep, evicted, writesManifest: Boolean(entry || evicted.length || seg) };
  }

  /** The manifest in memory once the bundle file is on disk. */
  private adopt({ seg, entry, keep }: CommitPlan): void {
    this.manifest = {
      ...this.manifest,
      nextN: Math.max(this.manifest.nextN, seg ? seg.firstN + seg.records.length : 0),
      bundles: entry ? [...keep, entry] : keep,
    };
  }

  /**
   * After the manifest: evicted bundles deleted (and said, when still owed), the segment dropped from memory; its
   * journal's removal (after the sync in flight) is what the caller may wait for. Synchronous otherwise, so a failure
   * at start-up throws from the constructor as before.
   */
  private settle({ seg, evicted }: CommitPlan): Promise<void> | undefined {
    const owedByEvicted = evicted.map(({ entry: e, reason }) => ({ owed: this.shippableIn(e, this.ackedN()), reason, file: e.file }));
    for (const { file } of owedByEvicted) removeOwnFile(this.dir, file);
    for (const { owed, reason, file } of owedByEvicted) {
      if (owed === 0) continue;
      this.options.logger.error(
        { bundle: file, records: owed, reason },
        'flight recorder: DROPPING lifecycle records that were never acknowledged by the OTLP endpoint',
      );
      this.onDropped?.(owed, reason);
    }
    if (!seg) return undefined;
    const i = this.sealing.indexOf(seg);
    if (i >= 0) this.sealing.splice(i, 1);
    return seg.journal?.remove();
  }

  /** Shippable records above `after` in a sealed bundle (decodes it only when the cursor falls inside). */
  private shippableIn(b: BundleEntry, after: number): number {
    if (after >= b.lastN) return 0;
    if (after < b.firstN) return b.counts.lifecycle + b.counts.keyframe;
    const loaded = loadBundle(this.dir, b);
    if (!loaded.ok) return b.counts.lifecycle + b.counts.keyframe;
    return loaded.records.filter((r, i) => b.firstN + i > after && ships(r)).length;
  }

  private loadOrRebuildManifest(): ManifestBody {
    const checked = readManifest(this.dir);
    const unsafe = checked.ok ? unadoptable(checked.body) : undefined;
    const read = checked.ok && unsafe ? { ok: false as const, missing: false, problem: unsafe } : checked;
    if (read.ok) return read.body;
    if (read.missing && !readdirSync(this.dir).some((f) => BUNDLE_NAME.test(f))) {
      const fresh = emptyManifest();
      writeManifest(this.dir, fresh); // a new archive verifies clean from the start
      return fresh;
    }
    // Keep the damaged manifest as evidence and rebuild from the bundles that still decode.
    if (!read.missing) renameSync(join(this.dir, MANIFEST_NAME), join(this.dir, `manifest.damaged-${this.now()}.json`));
    this.options.logger.error({ dir: this.dir, problem: read.problem }, 'flight recorder: manifest unusable; rebuilding it from the bundles');
    const body = emptyManifest();
    const files = readdirSync(this.dir)
      .filter((f) => BUNDLE_NAME.test(f))
      .sort((a, b) => firstNOf(a) - firstNOf(b));
    for (const file of files) {
      try {
        const data = readRegularFile(this.dir, file, READ_LIMITS.bundleBytes); // never follows a link planted in the archive
        const records = decodeBundle(file, data);
        const firstN = firstNOf(file);
        if (records.length === 0 || firstN < body.nextN) continue;
        body.bundles.push({
          file,
          ...timeRange(records),
          firstN,
          lastN: firstN + records.length - 1,
          counts: countKinds(records),
          bytes: data.length,
          sha256: sha256(data),
          sealed: openedAtOf(file),
        });
        body.nextN = firstN + records.length;
      } catch (err) {
        this.options.logger.error({ bundle: file, err: String(err) }, 'flight recorder: bundle cannot be decoded; left out of the rebuilt manifest');
      }
    }
    writeManifest(this.dir, body);
    return body;
  }

  /** Our temp files of interrupted writes, and bundles not in the manifest (a crash between bundle and manifest write). */
  private removeLeftovers(): void {
    const listed = new Set(this.manifest.bundles.map((b) => b.file));
    for (const f of readdirSync(this.dir)) {
      if (OWN_TMP.test(f) || (BUNDLE_NAME.test(f) && !listed.has(f))) removeOwnFile(this.dir, f);
    }
  }

  /** Seals journals a previous run left behind (it was killed before cutting them). */
  private recover(): void {
    for (const j of recoverJournals(this.dir)) {
      if (j.refused) {
        this.options.logger.error({ journal: j.name, problem: j.refused }, 'flight recorder: journal refused (left in place, nothing imported)');
        continue;
      }
      if (j.invalid)
        this.options.logger.error({ journal: j.name, lines: j.invalid }, 'flight recorder: journal lines that are not valid records were left out');
      // Records below nextN were sealed already (the crash came after the manifest write).
      const skip = Math.max(0, this.nextN - j.firstN);
      const fresh = j.records.slice(skip);
      if (fresh.length > 0) {
        const firstN = j.firstN + skip;
        this.nextN = firstN + fresh.length;
        const seg: Segment = {
          firstN,
          openedMs: this.now(),
          records: fresh,
          lines: [],
          flows: fresh.filter((r) => r.type === 'flow').length,
          ...msRange(fresh),
        };
        this.commit(seg, compressSync(encodeBundle(fresh), this.options.compression));
        this.options.logger.warn(
          { journal: j.name, records: fresh.length, tornTail: j.tornTail },
          'flight recorder: recovered records from the journal of a previous run',
        );
      }
      removeOwnFile(this.dir, j.name);
    }
  }
}

/** atomicWrite's temp names: `<our file>.<pid>.tmp`. */
const OWN_TMP = /^(manifest\.json|shipper\.cursor|b-\d{8}T\d{6}Z-\d{12}\.ndjson\.(br|gz))\.\d+\.tmp$/;
const firstNOf = (file: string) => Number(/-(\d{12})\.ndjson/.exec(file)?.[1] ?? 0);

function positioned(firstN: number, records: readonly ArchivedRecord[], from: number, max: number, lines: readonly string[] = []): Positioned[] {
  const start = from - firstN;
  // recovered segments have no lines
  return records.slice(start, start + max).map((record, i) => ({ n: from + i, record, json: lines[start + i] }));
}
