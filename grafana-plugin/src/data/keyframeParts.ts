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

const DIGITS = /^\d{1,9}$/;

/** A part's header from the structured metadata the collector stores with it (`hmx_emitter`, `hmx_keyframe_id`,
 * `hmx_keyframe_part_index`, `…_count`; its time is the line's): a 64 KiB part need not be parsed to be counted.
 * The scene build parses the parts it is given and checks them again, so a line whose metadata disagree with its
 * body is shown as an incomplete keyframe, not applied. */
function headerOfLabels(row: LogRow): PartHeader | undefined {
  const m = row.labels;
  const emitter = m?.hmx_emitter;
  const id = m?.hmx_keyframe_id;
  const index = m?.hmx_keyframe_part_index;
  const count = m?.hmx_keyframe_part_count;
  if (
    typeof emitter !== 'string' ||
    typeof id !== 'string' ||
    typeof index !== 'string' ||
    typeof count !== 'string' ||
    !DIGITS.test(index) ||
    !DIGITS.test(count) ||
    Number(count) < 1 ||
    Number(index) >= Number(count)
  ) {
    return undefined;
  }
  return { emitter, time: row.ms, key: `part:${id}`, partId: id, index: Number(index), count: Number(count) };
}

function header(row: LogRow): PartHeader | undefined {
  const fromLabels = headerOfLabels(row);
  if (fromLabels) {
    return fromLabels;
  }
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
