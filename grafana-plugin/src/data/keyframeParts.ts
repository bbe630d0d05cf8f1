import { LogRow } from './logRows';

/** All stored parts of one keyframe (contract revision 1.1: `part: { id, index, count }`; a keyframe
 * without `part` is whole). */
export interface KeyframeGroup {
  emitter: string;
  /** `part.id` (undefined: a keyframe without parts) */
  partId?: string;
  /** the keyframe's `time`, epoch ms */
  time: number;
  /** parts expected (count) and indexes present */
  count: number;
  present: Set<number>;
  rows: LogRow[];
  /** parts disagree on count or time: never treated as complete */
  inconsistent: boolean;
}

export function isComplete(g: KeyframeGroup): boolean {
  return !g.inconsistent && g.present.size === g.count;
}

interface PartHeader {
  emitter: string;
  time: number;
  key: string;
  partId?: string;
  index: number;
  count: number;
}

function header(row: LogRow): PartHeader | undefined {
  let o: unknown;
  try {
    o = JSON.parse(row.line);
  } catch {
    return undefined;
  }
  if (!o || typeof o !== 'object') {
    return undefined;
  }
  const r = o as Record<string, unknown>;
  const time = typeof r.time === 'string' ? Date.parse(r.time) : NaN;
  if (r.type !== 'keyframe' || typeof r.emitter !== 'string' || !Number.isFinite(time)) {
    return undefined;
  }
  const part = r.part as Record<string, unknown> | undefined;
  if (part === undefined) {
    return { emitter: r.emitter, time, key: `seq:${String(r.seq)}`, index: 0, count: 1 };
  }
  const { id, index, count } = part ?? {};
  if (
    typeof id !== 'string' ||
    !Number.isInteger(index) ||
    !Number.isInteger(count) ||
    (count as number) < 1 ||
    (index as number) < 0 ||
    (index as number) >= (count as number)
  ) {
    return undefined;
  }
  return { emitter: r.emitter, time, key: `part:${id}`, partId: id, index: index as number, count: count as number };
}

/** Groups keyframe lines by (emitter, part id), newest first; lines that are not keyframes are counted. */
export function groupKeyframes(rows: LogRow[]): { groups: KeyframeGroup[]; malformed: number } {
  const groups = new Map<string, KeyframeGroup>();
  let malformed = 0;
  for (const row of rows) {
    const h = header(row);
    if (!h) {
      malformed++;
      continue;
    }
    const key = `${h.emitter}\u0000${h.key}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        emitter: h.emitter,
        partId: h.partId,
        time: h.time,
        count: h.count,
        present: new Set(),
        rows: [],
        inconsistent: false,
      };
      groups.set(key, g);
    }
    if (g.count !== h.count || g.time !== h.time) {
      g.inconsistent = true;
    }
    if (!g.present.has(h.index)) {
      g.present.add(h.index);
      g.rows.push(row);
    }
  }
  return { groups: [...groups.values()].sort((a, b) => b.time - a.time), malformed };
}
