// Request bodies must be valid UTF-8: a lossy decode turns different byte strings into the same U+FFFD text, so
// distinct ids would collide. The 400 names the field (JSON pointer) or NDJSON line holding the bad bytes.
import { isUtf8 } from 'node:buffer';

export interface Utf8Problem {
  index: number | null;
  field: string;
}

const REPLACEMENT = '\uFFFD';
const pointerPart = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON pointer of the first key or string value holding U+FFFD; iterative, so nesting depth cannot overflow. */
function fieldWithReplacement(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(REPLACEMENT)) return path || '/';
    } else if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]!;
        if (k.includes(REPLACEMENT)) return `${path}/${pointerPart(k)}`;
        stack.push([x, `${path}/${pointerPart(k)}`]);
      }
    }
  }
  return undefined;
}

function locate(text: string, ndjson: boolean): Utf8Problem {
  const parse = (s: string): unknown => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  if (!ndjson) {
    const parsed = parse(text);
    const field = fieldWithReplacement(Array.isArray(parsed) ? parsed : [parsed]);
    if (!field) return { index: null, field: '/' };
    const [, index, rest] = /^\/(\d+)(.*)$/.exec(field)!;
    return { index: Number(index), field: rest || '/' };
  }
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(REPLACEMENT));
  return { index: line, field: fieldWithReplacement(parse(lines[line]!)) ?? '/' };
}

/** The body as text, or where its invalid UTF-8 is. */
export function decodeBody(body: Buffer, ndjson: boolean): { ok: true; text: string } | { ok: false; problem: Utf8Problem } {
  if (isUtf8(body)) return { ok: true, text: body.toString('utf8') };
  return { ok: false, problem: locate(body.toString('utf8'), ndjson) };
}
