// Keyframe parts (contract revision 1.1): a snapshot split into records that each fit a Loki line, and put back
// together by readers. A keyframe missing a part is reported as incomplete, never used as whole.
import type { Keyframe } from './events.js';

/** Largest JSON body of one part in bytes (UTF-8): a quarter of Loki's default max_line_size (256 KB). */
export const MAX_KEYFRAME_PART_BYTES = 65_536;

type Snapshot = Omit<Keyframe, 'seq' | 'part'>;
type Entities = Pick<Keyframe, 'nodes' | 'actors' | 'flows'>;

const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/**
 * Splits a snapshot into parts of at most `maxBytes` of JSON each, with seqs firstSeq, firstSeq + 1, …; entities keep
 * their order and each lands in exactly one part; `emitters` goes into part 0 only. A part exceeds the limit only
 * when one entity, or part 0's `emitters` map, is larger than the limit on its own.
 */
export function splitKeyframe(snapshot: Snapshot | Keyframe, firstSeq: number, maxBytes = MAX_KEYFRAME_PART_BYTES): Keyframe[] {
  const { nodes, actors, flows, emitters, ...rest } = snapshot;
  const envelope = { ...rest } as Partial<Keyframe>;
  delete envelope.seq;
  delete envelope.part;
  const id = `${snapshot.emitter}#${firstSeq}`;
  // A bound on a part without entities: the largest seq, index and count any part could carry.
  const big = Number.MAX_SAFE_INTEGER;
  const empty = jsonBytes({ ...envelope, seq: big, part: { id, index: big, count: big }, nodes: [], actors: [], flows: [] });
  const groups: Entities[] = [];
  let group: Entities = { nodes: [], actors: [], flows: [] };
  let size = empty + (emitters ? jsonBytes(emitters) + ',"emitters":'.length : 0);
  const add = <K extends keyof Entities>(list: K, item: Entities[K][number]) => {
    const n = jsonBytes(item) + 1; // + the comma before it
    if (size + n > maxBytes && size > empty) {
      groups.push(group);
      group = { nodes: [], actors: [], flows: [] };
      size = empty;
    }
    (group[list] as Entities[K][number][]).push(item);
    size += n;
  };
  for (const n of nodes) add('nodes', n);
  for (const a of actors) add('actors', a);
  for (const f of flows) add('flows', f);
  groups.push(group);
  const count = groups.length;
  return groups.map((g, index) => ({
    ...(envelope as Omit<Keyframe, 'seq' | 'nodes' | 'actors' | 'flows'>),
    seq: firstSeq + index,
    part: { id, index, count },
    ...g,
    ...(index === 0 && emitters ? { emitters } : {}),
  }));
}

/** A keyframe some of whose parts did not arrive (or did not agree): it must not be used as a whole snapshot. */
export interface IncompleteKeyframe {
  emitter: string;
  id: string;
  time: string;
  /** Parts announced (0 when no part could be read). */
  count: number;
  /** Indices that did arrive, ascending. */
  present: number[];
  /** In words, for the operator. */
  problem: string;
}

interface Group {
  time: string;
  count: number;
  parts: Map<number, Keyframe>;
  problem?: string;
}

const keyOf = (emitter: string, id: string) => `${emitter}\u0000${id}`;

function describe(emitter: string, id: string, g: Group): IncompleteKeyframe {
  const present = [...g.parts.keys()].sort((a, b) => a - b);
  const missing = g.count - present.length;
  const problem = g.problem ?? `keyframe ${id} at ${g.time}: ${missing} of ${g.count} part(s) missing`;
  return { emitter, id, time: g.time, count: g.count, present, problem };
}

/** The whole keyframe from its complete set of parts: the union of the entities, `emitters` from part 0. */
function merge(g: Group): Keyframe {
  const first = g.parts.get(0)!;
  const whole: Keyframe = { ...first, nodes: [], actors: [], flows: [] };
  delete whole.part;
  for (let i = 0; i < g.count; i++) {
    const p = g.parts.get(i)!;
    whole.nodes.push(...p.nodes);
    whole.actors.push(...p.actors);
    whole.flows.push(...p.flows);
  }
  return whole;
}

const validIndex = (v: unknown, min: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

export interface AssemblerOptions {
  /**
   * The input is in emission order (an archive): the parts of one keyframe come together, so a part of a newer
   * keyframe from the same emitter closes the older one as incomplete (memory stays bounded).
   */
  sequential?: boolean;
}

export interface AddResult {
  /** The whole keyframe, once its last missing part arrived (or the record had no `part`: it is whole). */
  complete?: Keyframe;
  /** With `complete`: the records it was made of, in part order (what a re-sender sends on). */
  parts?: Keyframe[];
  /** Keyframes now known to stay incomplete. */
  incomplete: IncompleteKeyframe[];
}

/** Collects keyframe parts, grouped by (emitter, part.id); complete iff every index 0..count-1 is present. */
export class KeyframeAssembler {
  private readonly groups = new Map<string, Group>();
  private readonly openByEmitter = new Map<string, string>();

  constructor(private readonly options: AssemblerOptions = {}) {}

  add(record: Keyframe): AddResult {
    const part = record.part;
    if (part === undefined) return { complete: record, parts: [record], incomplete: [] };
    const incomplete: IncompleteKeyframe[] = [];
    const key = keyOf(record.emitter, String(part.id));
    if (this.options.sequential) {
      const open = this.openByEmitter.get(record.emitter);
      if (open !== undefined && open !== key) incomplete.push(...this.close(open));
      this.openByEmitter.set(record.emitter, key);
    }
    let g = this.groups.get(key);
    if (!validIndex(part.count, 1) || !validIndex(part.index, 0) || part.index >= part.count) {
      g ??= { time: record.time, count: 0, parts: new Map() };
      g.problem = `keyframe ${String(part.id)} at ${record.time}: part with an impossible index ${String(part.index)} of ${String(part.count)}`;
      this.groups.set(key, g);
      return { incomplete };
    }
    if (!g) {
      g = { time: record.time, count: part.count, parts: new Map() };
      this.groups.set(key, g);
    } else if (g.time !== record.time || g.count !== part.count) {
      g.problem ??= `keyframe ${part.id}: parts disagree (time ${g.time} / ${record.time}, count ${g.count} / ${part.count})`;
    }
    // A part delivered twice (an at-least-once retry) counts once.
    if (!g.parts.has(part.index)) g.parts.set(part.index, record);
    if (g.problem === undefined && g.parts.size === g.count) {
      this.groups.delete(key);
      if (this.openByEmitter.get(record.emitter) === key) this.openByEmitter.delete(record.emitter);
      return { complete: merge(g), parts: [...g.parts.keys()].sort((a, b) => a - b).map((i) => g.parts.get(i)!), incomplete };
    }
    return { incomplete };
  }

  /** Every keyframe still missing parts (call at the end of the input). */
  drain(): IncompleteKeyframe[] {
    const out = [...this.groups.keys()].flatMap((key) => this.close(key));
    this.openByEmitter.clear();
    return out;
  }

  private close(key: string): IncompleteKeyframe[] {
    const g = this.groups.get(key);
    if (!g) return [];
    this.groups.delete(key);
    const [emitter = '', id = ''] = key.split('\u0000');
    return [describe(emitter, id, g)];
  }
}

/** Reassembles every keyframe in `records` (any order); the rest are reported incomplete. */
export function reassembleKeyframes(records: Iterable<Keyframe>): { complete: Keyframe[]; incomplete: IncompleteKeyframe[] } {
  const assembler = new KeyframeAssembler();
  const complete: Keyframe[] = [];
  const incomplete: IncompleteKeyframe[] = [];
  for (const r of records) {
    const added = assembler.add(r);
    if (added.complete) complete.push(added.complete);
    incomplete.push(...added.incomplete);
  }
  incomplete.push(...assembler.drain());
  return { complete, incomplete };
}
