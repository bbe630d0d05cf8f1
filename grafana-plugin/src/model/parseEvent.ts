import {
  ACTOR_STATES,
  ActorEntity,
  ActorState,
  FlowSample,
  KeyframeEvent,
  KeyframePart,
  LIFECYCLE_TYPES,
  LifecycleEvent,
  LifecycleType,
  NodeEntity,
  TimelineEvent,
} from './contract';

export type ParseResult =
  { ok: true; event: TimelineEvent } | { ok: true; flow: FlowSample; event?: undefined } | { ok: false; error: string };

const TYPES = new Set<string>(LIFECYCLE_TYPES);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Parses RFC3339 strings, epoch milliseconds, or epoch nanosecond strings. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    return v;
  }
  if (typeof v === 'string' && v.length > 0) {
    if (/^\d{16,19}$/.test(v)) {
      return Number(v.slice(0, v.length - 6));
    }
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function node(v: unknown, where: string): NodeEntity | string {
  if (!isRecord(v)) {
    return `missing "${where}" object`;
  }
  const id = str(v.id);
  if (!id) {
    return `missing "${where}.id"`;
  }
  return { id, kind: str(v.kind) ?? 'unknown', layer: str(v.layer) ?? 'unknown', name: str(v.name) ?? id };
}

function actor(v: unknown, where: string): ActorEntity | string {
  const n = node(v, where);
  if (typeof n === 'string') {
    return n;
  }
  const nodeId = str((v as Record<string, unknown>).node);
  if (!nodeId) {
    return `missing "${where}.node"`;
  }
  return { ...n, node: nodeId };
}

function parseKeyframe(o: Record<string, unknown>, time: number): ParseResult {
  if (!Array.isArray(o.nodes) || !Array.isArray(o.actors)) {
    return { ok: false, error: 'keyframe without "nodes"/"actors" arrays' };
  }
  const nodes: KeyframeEvent['nodes'] = [];
  for (const raw of o.nodes) {
    const n = node(raw, 'nodes[]');
    if (typeof n === 'string') {
      return { ok: false, error: `keyframe: ${n}` };
    }
    nodes.push({ ...n, state: (raw as Record<string, unknown>).state === 'failed' ? 'failed' : 'up' });
  }
  const actors: KeyframeEvent['actors'] = [];
  for (const raw of o.actors) {
    const a = actor(raw, 'actors[]');
    if (typeof a === 'string') {
      return { ok: false, error: `keyframe: ${a}` };
    }
    const r = raw as Record<string, unknown>;
    if (!ACTOR_STATES.includes(r.state as ActorState)) {
      return {
        ok: false,
        error: `keyframe: actors[].state ${JSON.stringify(r.state)?.slice(0, 40)} is not one of ${ACTOR_STATES.join(', ')}`,
      };
    }
    const since = parseTime(r.since);
    actors.push({
      ...a,
      state: r.state as ActorState,
      restarts: typeof r.restarts === 'number' ? r.restarts : 0,
      ...(since !== undefined ? { since } : {}),
    });
  }
  const part = keyframePart(o.part);
  if (typeof part === 'string') {
    return { ok: false, error: `keyframe: ${part}` };
  }
  const emitters = keyframeEmitters(o.emitters);
  if (typeof emitters === 'string') {
    return { ok: false, error: `keyframe: ${emitters}` };
  }
  return {
    ok: true,
    event: {
      type: 'keyframe',
      time,
      emitter: str(o.emitter) ?? '',
      seq: typeof o.seq === 'number' ? o.seq : 0,
      ...(part ? { part } : {}),
      nodes,
      actors,
      ...(emitters ? { emitters } : {}),
    },
  };
}

/** The optional `emitters` map of a keyframe (last seq per emitter); a string names what is wrong with it. */
function keyframeEmitters(v: unknown): Record<string, number> | undefined | string {
  if (v === undefined) {
    return undefined;
  }
  if (!isRecord(v)) {
    return '"emitters" must be an object of emitter → seq';
  }
  const out: Record<string, number> = Object.create(null);
  for (const [k, seq] of Object.entries(v)) {
    if (!isIndex(seq, 0)) {
      return `"emitters.${k.slice(0, 80)}" must be an integer >= 0 (got ${String(seq).slice(0, 20)})`;
    }
    out[k] = seq;
  }
  return out;
}

const isIndex = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/** The optional `part` of a keyframe (contract 1.1); a string names what is wrong with it. */
function keyframePart(v: unknown): KeyframePart | undefined | string {
  if (v === undefined) {
    return undefined;
  }
  if (!isRecord(v) || typeof v.id !== 'string' || v.id.length === 0) {
    return '"part" needs a non-empty string "part.id"';
  }
  if (!isIndex(v.count, 1) || !isIndex(v.index, 0) || v.index >= v.count) {
    return `"part.index"/"part.count" must be integers with 0 <= index < count (got ${String(v.index).slice(0, 20)} of ${String(v.count).slice(0, 20)})`;
  }
  return { id: v.id, index: v.index, count: v.count };
}

/** Validates one contract event object. Flow samples are not lifecycle events and are rejected here. */
export function parseEventObject(o: unknown, fallbackTime?: number): ParseResult {
  if (!isRecord(o)) {
    return { ok: false, error: 'event is not a JSON object' };
  }
  const type = str(o.type);
  if (!type) {
    return { ok: false, error: 'missing "type"' };
  }
  const time = parseTime(o.time) ?? fallbackTime;
  if (time === undefined) {
    return { ok: false, error: 'missing or invalid "time"' };
  }
  if (type === 'keyframe') {
    return parseKeyframe(o, time);
  }
  if (type === 'flow') {
    const from = str(o.from);
    const to = str(o.to);
    if (!from || !to || typeof o.messages !== 'number' || !(o.messages >= 0)) {
      return { ok: false, error: 'flow: needs "from", "to" and "messages" >= 0' };
    }
    return { ok: true, flow: { type: 'flow', time, emitter: str(o.emitter) ?? '', from, to, messages: o.messages } };
  }
  if (!TYPES.has(type)) {
    return { ok: false, error: `unknown type "${type}"` };
  }
  const ev: LifecycleEvent = {
    type: type as LifecycleType,
    time,
    emitter: str(o.emitter) ?? '',
    seq: typeof o.seq === 'number' ? o.seq : 0,
  };
  if (type.startsWith('node.')) {
    const n = node(o.node, 'node');
    if (typeof n === 'string') {
      return { ok: false, error: `${type}: ${n}` };
    }
    ev.node = n;
  } else if (type.startsWith('actor.')) {
    const a = actor(o.actor, 'actor');
    if (typeof a === 'string') {
      return { ok: false, error: `${type}: ${a}` };
    }
    ev.actor = a;
  }
  if (typeof o.reason === 'string') {
    ev.reason = o.reason;
  }
  if (typeof o.exitCode === 'number') {
    ev.exitCode = o.exitCode;
  }
  if (typeof o.restartCount === 'number') {
    ev.restartCount = o.restartCount;
  }
  return { ok: true, event: ev };
}

/** Parses one log line holding contract event JSON. */
export function parseEventLine(line: unknown, fallbackTime?: number): ParseResult {
  if (typeof line !== 'string') {
    return { ok: false, error: 'log line is not a string' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, error: 'log line is not valid JSON' };
  }
  return parseEventObject(parsed, fallbackTime);
}
