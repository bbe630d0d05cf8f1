// Fast, strict ISO 8601 date-time → epoch ms (once per event, a million times per rebuild).
// Accepts YYYY-MM-DD(T|t| )hh:mm:ss(.f{1,9})?(Z|z|±hh:mm|±hhmm); anything else, or a date that does not exist, is NaN.
// (±hhmm is ISO 8601's basic offset form, which many producers write, e.g. strftime's %z.)

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

export function parseIsoMs(s: string): number {
  const len = s.length;
  if (len < 20 || len > 40) return NaN;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32)) return NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && !leap ? 28 : DAYS[mo - 1]!)) return NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < len && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const n = i - start;
    if (n < 1 || n > 9) return NaN;
    ms = digits(s, start, Math.min(n, 3)) * (n >= 3 ? 1 : n === 2 ? 10 : 100);
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== len) return NaN;
  } else if (z === 43 || z === 45) {
    const colon = i + 6 === len && s.charCodeAt(i + 3) === 58;
    if (!colon && i + 5 !== len) return NaN;
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + (colon ? 4 : 3), 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offset = (z === 43 ? 1 : -1) * (oh * 60 + om) * 60000;
  } else {
    return NaN;
  }
  return dayMs(y, mo, d) + h * 3600000 + mi * 60000 + se * 1000 + ms - offset;
}

/** The UTC form world files carry: whole seconds as `…:ssZ`, otherwise milliseconds. */
export function utcIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** True when the text is already UTC in the canonical layout (upper-case T and Z): it is kept as written. */
export function isCanonicalUtc(s: string): boolean {
  return s.charCodeAt(s.length - 1) === 90 && s.charCodeAt(10) === 84;
}

// Events of one stream share their date: remember the last day's epoch ms.
let lastDay = -1;
let lastDayMs = 0;
function dayMs(y: number, mo: number, d: number): number {
  const key = (y * 100 + mo) * 100 + d;
  if (key !== lastDay) {
    const t = Date.UTC(y, mo - 1, d);
    lastDayMs = y < 100 ? new Date(t).setUTCFullYear(y) : t; // Date.UTC maps years 0-99 to 1900-1999
    lastDay = key;
  }
  return lastDayMs;
}
