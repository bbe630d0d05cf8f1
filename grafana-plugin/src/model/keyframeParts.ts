import { KeyframeEvent, TimelineEvent } from './contract';

/** A keyframe some of whose parts were not received (or did not agree); it is not applied. */
export interface IncompleteKeyframe {
  emitter: string;
  id: string;
  time: number;
  count: number;
  received: number;
  /** time of the emitter's next complete keyframe (the end of the affected span); undefined = end of the data */
  until?: number;
  /** set when the parts contradict each other */
  conflict?: string;
}

interface Group {
  first: KeyframeEvent;
  /** where its first part arrived: the whole keyframe takes that place (order matters among equal times) */
  slot: number;
  parts: Map<number, KeyframeEvent>;
  conflict?: string;
}

/**
 * Contract 1.1 reassembly: keyframe parts grouped by (emitter, part.id) become one keyframe when every index
 * 0..count-1 is present (the union of their entities); a keyframe missing a part is left out and reported, so a
 * partial snapshot is never applied as a whole one. Other events pass through unchanged.
 */
export function assembleKeyframes(events: readonly TimelineEvent[]): {
  events: TimelineEvent[];
  incomplete: IncompleteKeyframe[];
} {
  const out: Array<TimelineEvent | undefined> = [];
  const groups = new Map<string, Group>();
  for (const ev of events) {
    if (ev.type !== 'keyframe' || !ev.part) {
      out.push(ev);
      continue;
    }
    const key = `${ev.emitter}\u0000${ev.part.id}`;
    let g = groups.get(key);
    if (!g) {
      g = { first: ev, slot: out.length, parts: new Map() };
      groups.set(key, g);
      out.push(undefined);
    } else if (ev.time !== g.first.time || ev.part.count !== g.first.part!.count) {
      g.conflict ??= `parts disagree on time or count (${g.first.part!.count} vs ${ev.part.count})`;
    }
    // a part delivered twice (an at-least-once retry) counts once
    if (!g.parts.has(ev.part.index)) {
      g.parts.set(ev.part.index, ev);
    }
  }
  const incomplete: IncompleteKeyframe[] = [];
  for (const g of groups.values()) {
    const count = g.first.part!.count;
    if (!g.conflict && g.parts.size === count) {
      const head = g.parts.get(0)!;
      const whole: KeyframeEvent = {
        type: 'keyframe',
        time: g.first.time,
        emitter: g.first.emitter,
        seq: head.seq,
        nodes: [],
        actors: [],
        ...(head.emitters ? { emitters: head.emitters } : {}),
      };
      for (let i = 0; i < count; i++) {
        const p = g.parts.get(i)!;
        whole.nodes.push(...p.nodes);
        whole.actors.push(...p.actors);
      }
      out[g.slot] = whole;
    } else {
      incomplete.push({
        emitter: g.first.emitter,
        id: g.first.part!.id,
        time: g.first.time,
        count,
        received: g.parts.size,
        conflict: g.conflict,
      });
    }
  }
  const assembled = out.filter((ev): ev is TimelineEvent => ev !== undefined);
  // every keyframe left is whole: the affected span of an incomplete one ends at its emitter's next one
  const completeTimes = new Map<string, number[]>();
  for (const ev of assembled) {
    if (ev.type === 'keyframe') {
      const times = completeTimes.get(ev.emitter) ?? [];
      times.push(ev.time);
      completeTimes.set(ev.emitter, times);
    }
  }
  for (const k of incomplete) {
    const later = (completeTimes.get(k.emitter) ?? []).filter((t) => t > k.time);
    k.until = later.length ? Math.min(...later) : undefined;
  }
  incomplete.sort((a, b) => a.time - b.time);
  return { events: assembled, incomplete };
}
