// The input text of a record reused as its serialised form, when it is exactly what JSON.stringify would write. On
// ingest every record is parsed from such a line and written out again (log body, journal line): stringify alone was
// ~1.3 µs per event, more than this check costs several times over.

/**
 * `text` itself when it is exactly `JSON.stringify(value)`, where `value` is `JSON.parse(text)` (so `text` is valid
 * JSON); otherwise undefined (then the caller serialises). Conservative: any whitespace between tokens, any escape,
 * a lone surrogate, a number that is not a plain integer of at most 15 digits, a key that starts with a digit (JS orders
 * integer-like keys first) or a repeated key (JSON.parse keeps the last) makes it undefined.
 */
/** In a `u` regex a surrogate pair is one code point: only a lone surrogate is in category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

export function canonicalJson(text: string, value: unknown): string | undefined {
  // With no escape, a string ends at the next quote: strings (most of the text) are skipped natively.
  if (text.indexOf('\\') >= 0 || LONE_SURROGATE.test(text)) return undefined;
  const n = text.length;
  let keys = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const close = text.indexOf('"', i + 1);
      if (close < 0) return undefined;
      if (text.charCodeAt(close + 1) === 0x3a) {
        const first = text.charCodeAt(i + 1);
        if (first >= 0x30 && first <= 0x39) return undefined;
        keys++;
      }
      i = close + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const digits = c === 0x2d ? i + 1 : i;
      i = digits;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const count = i - digits;
      if (count === 0 || count > 15 || (text.charCodeAt(digits) === 0x30 && (count > 1 || c === 0x2d))) return undefined;
      const next = text.charCodeAt(i);
      if (next === 0x2e || next === 0x65 || next === 0x45) return undefined;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c < 0x20) {
      return undefined;
    } else {
      i++;
    }
  }
  return keys === keyCount(value) ? text : undefined;
}

/** Own keys of every object inside `value`. */
function keyCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += keyCount(item);
    return count;
  }
  for (const key in value) count += 1 + keyCount((value as Record<string, unknown>)[key]);
  return count;
}
