// Where accepted contract records go after validation and the topology state (exporters, recorder, event ring).
import type { ContractRecord, Keyframe } from '@harmonix/contract';

/** What ingest already knows of each record of a batch, so that no later stage works it out again. */
export interface BatchHints {
  /** `jsons[i]`: records[i] exactly as JSON.stringify writes it, when the request held it (see RecordSink.write). */
  jsons?: readonly (string | undefined)[];
  /** `times[i]`: records[i].time in epoch ms, as validation parsed it. */
  times?: readonly number[];
}

export interface RecordSink {
  readonly name: string;
  /**
   * `cursor` is the collector-wide position of the record (monotonic across all emitters). `json`, when the caller
   * holds it: the record exactly as JSON.stringify writes it (an ingested line that was already canonical), so a sink
   * that serialises need not do it again. `timeMs`: the record's time in epoch ms.
   */
  write(record: ContractRecord, cursor: number, json?: string, timeMs?: number): void;
  /** Full topology snapshots, every keyframe interval, as their parts (each ≤ 64 KiB of JSON), in order. */
  writeKeyframe?(keyframe: Keyframe): void;
  /** Called after each batch of writes (one request, one frame): what was written is durable when it returns. */
  endBatch?(): void;
  flush?(): Promise<void>;
  close?(): Promise<void>;
}
