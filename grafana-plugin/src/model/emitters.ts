import { KeyframeEvent, TimelineEvent } from './contract';
import { median } from './median';

// Contract revision 1.2 (docs/contract.md): many emitters writing to one store, read back as one picture.

/** Clock skew between hosts the reader tolerates: records are read from this long before a keyframe, because one
 * applied after the keyframe may be stamped before it by a host whose clock is behind. */
export const MAX_SKEW_MS = 10_000;
/** refId of the stored-data frame of keyframe heads (part 0s): when each collector was heard; never applied as state */
export const KEYFRAME_HEADS_REF = 'hmx-keyframe-heads';
/** A group not heard for this many of its keyframe intervals has stopped. */
export const STOPPED_AFTER_INTERVALS = 3;
/** The collector's default `keyframeInterval`, used only when no group shows two keyframes. */
export const DEFAULT_KEYFRAME_INTERVAL_MS = 600_000;

/** A group stopped reporting: from `at` (last heard + STOPPED_AFTER_INTERVALS intervals) its entities are unknown. */
export interface EmitterStop {
  /** the group's name: its keyframe emitter (the collector) */
  group: string;
  heard: number;
  at: number;
  intervalMs: number;
  /** heard again here (undefined: not within the data) */
  until?: number;
}

export interface Reconciled {
  /** in fold order: by effective time, keyframes before the records clamped to their time, one emitter's records by seq */
  events: TimelineEvent[];
  /** group index of each event (-1: in no group) */
  groupOf: number[];
  groups: string[];
  stops: Array<EmitterStop & { index: number }>;
}

const sequenced = (ev: TimelineEvent) => ev.type !== 'keyframe' && ev.emitter !== '' && ev.seq > 0;

/**
 * Puts the events of many emitters in the order the collectors applied them:
 * - a group is a keyframe emitter (a collector) with every emitter its keyframes name in `emitters`, and the sources
 *   named after it (`<source>@<incarnation>` of `collector@<incarnation>`); any other emitter no keyframe names is in
 *   no group; a group without a keyframe in the data is never judged stopped;
 * - one emitter's records apply in `seq` order (a duplicate seq is dropped), never reordered by their times: a record
 *   stamped before its predecessor applies at the predecessor's time;
 * - a keyframe naming the emitter covers its records up to that seq: a covered record stamped at or after the keyframe
 *   is already in it (dropped), an uncovered one stamped before it applies at the keyframe's time;
 * - keyframes (complete ones, and `heads`: keyframe part 0s that only say the collector was alive) and records are
 *   when a group was heard; silent for STOPPED_AFTER_INTERVALS of its keyframe interval, it has stopped.
 * Keyframes that do not name an emitter leave its records in time order (a keyframe without `emitters`).
 */
export function reconcileEmitters(input: readonly TimelineEvent[], heads: readonly KeyframeEvent[] = []): Reconciled {
  const keyframes = [...input.filter((e): e is KeyframeEvent => e.type === 'keyframe'), ...heads].sort(
    (a, b) => a.time - b.time
  );
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  const groupOfEmitter = new Map<string, number>();
  const join = (name: string) => {
    let g = groupIndex.get(name);
    if (g === undefined) {
      g = groups.length;
      groups.push(name);
      groupIndex.set(name, g);
    }
    return g;
  };
  // the newest keyframe naming an emitter decides its group (the collector that applies it now)
  for (const k of keyframes) {
    const g = join(k.emitter);
    groupOfEmitter.set(k.emitter, g);
    for (const e of Object.keys(k.emitters ?? {})) {
      groupOfEmitter.set(e, g);
    }
  }
  /** per emitter: the keyframes that name it, oldest first */
  const naming = new Map<string, KeyframeEvent[]>();
  for (const k of input) {
    if (k.type === 'keyframe') {
      for (const e of Object.keys(k.emitters ?? {})) {
        const list = naming.get(e) ?? [];
        list.push(k);
        naming.set(e, list);
      }
    }
  }
  naming.forEach((list) => list.sort((a, b) => a.time - b.time));

  // one emitter's records in seq order; the slots they held in the input are handed out in that order, so ties on
  // the effective time keep seq order within an emitter and input order across emitters
  const byEmitter = new Map<string, number[]>();
  input.forEach((ev, i) => {
    if (sequenced(ev)) {
      const list = byEmitter.get(ev.emitter) ?? [];
      list.push(i);
      byEmitter.set(ev.emitter, list);
    }
  });
  const eff = new Float64Array(input.length);
  const slot = new Int32Array(input.length);
  const keep = new Uint8Array(input.length);
  input.forEach((ev, i) => {
    eff[i] = ev.time;
    slot[i] = i;
    keep[i] = sequenced(ev) ? 0 : 1;
  });
  for (const [emitter, idx] of byEmitter) {
    const slots = [...idx];
    idx.sort((a, b) => input[a].seq - input[b].seq || a - b);
    const kfs = naming.get(emitter) ?? [];
    let k = 0;
    let prev = -Infinity;
    let lastSeq = -Infinity;
    idx.forEach((i, n) => {
      slot[i] = slots[n];
      const ev = input[i];
      if (ev.seq === lastSeq) {
        return; // at-least-once delivery: the same record twice
      }
      lastSeq = ev.seq;
      while (k < kfs.length && kfs[k].emitters![emitter] < ev.seq) {
        k++;
      }
      if (k < kfs.length && ev.time >= kfs[k].time) {
        return; // already in the keyframe that covers it
      }
      const after = k > 0 ? kfs[k - 1].time : -Infinity;
      eff[i] = Math.max(ev.time, prev, after);
      prev = eff[i];
      keep[i] = 1;
    });
  }
  const order = input.map((_, i) => i).filter((i) => keep[i]);
  const rank = (i: number) => (input[i].type === 'keyframe' ? 0 : 1);
  order.sort((a, b) => eff[a] - eff[b] || rank(a) - rank(b) || slot[a] - slot[b]);
  const events = order.map((i) => (eff[i] === input[i].time ? input[i] : { ...input[i], time: eff[i] }));
  // a source inside a collector is named `<source>@<incarnation>` and its collector `collector@<incarnation>`, so its
  // group is known before that collector's first keyframe names it
  const byName = (e: string) => {
    const inc = /^[^@/]+@(.+)$/.exec(e)?.[1];
    return inc !== undefined ? join(`collector@${inc}`) : -1;
  };
  const groupOf = events.map((ev) =>
    ev.type === 'keyframe'
      ? groupIndex.get(ev.emitter)!
      : sequenced(ev)
        ? (groupOfEmitter.get(ev.emitter) ?? byName(ev.emitter))
        : -1
  );
  return { events, groupOf, groups, stops: stopsOf(events, groupOf, groups, keyframes, groupIndex) };
}

/** Where each group that has a keyframe went silent for longer than STOPPED_AFTER_INTERVALS of its interval while
 * another group was still heard. */
function stopsOf(
  events: TimelineEvent[],
  groupOf: number[],
  groups: string[],
  keyframes: KeyframeEvent[],
  groupIndex: Map<string, number>
): Reconciled['stops'] {
  const heard = groups.map(() => [] as number[]);
  const kfTimes = groups.map(() => [] as number[]);
  events.forEach((ev, i) => groupOf[i] >= 0 && heard[groupOf[i]].push(ev.time));
  for (const k of keyframes) {
    const g = groupIndex.get(k.emitter)!;
    heard[g].push(k.time);
    kfTimes[g].push(k.time);
  }
  const gaps = kfTimes.map((ts) => {
    const u = [...new Set(ts)].sort((a, b) => a - b);
    return median(u.slice(1).map((t, i) => t - u[i]));
  });
  const fallback = median(gaps.filter((g): g is number => g !== undefined)) ?? DEFAULT_KEYFRAME_INTERVAL_MS;
  // silence is only seen while another group still talks: past the newest record or keyframe the data ends
  const end = heard.reduce((m, ts) => ts.reduce((a, t) => Math.max(a, t), m), -Infinity);
  const stops: Reconciled['stops'] = [];
  groups.forEach((group, g) => {
    // a collector with no keyframe in the data cannot be told from a quiet one: never judged stopped
    if (kfTimes[g].length === 0) {
      return;
    }
    const intervalMs = gaps[g] ?? fallback;
    const bound = STOPPED_AFTER_INTERVALS * intervalMs;
    const ts = heard[g].sort((a, b) => a - b);
    ts.forEach((t, i) => {
      const next = ts[i + 1];
      if ((next === undefined || next - t > bound) && t + bound <= end) {
        stops.push({ group, index: g, heard: t, at: t + bound, intervalMs, until: next });
      }
    });
  });
  return stops.sort((a, b) => a.at - b.at);
}
