// JSON Schema's "date-time" (RFC 3339 section 5.6, time zone required), checked without allocating anything. The
// check of ajv-formats splits the value and runs two capturing regular expressions on the parts: on ingest that was
// the largest allocation per event. The verdicts are ajv-formats' (`date-time.test.ts` holds both to the same answers
// over edge cases and generated strings), leap seconds included.

/** The shape alone: date, one `T`/`t`/whitespace separator, time, optional fraction, zone `Z` or ±hh[[:]mm]. */
const SHAPE = /^\d{4}-\d\d-\d\d[t\s]\d\d:\d\d:\d\d(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two-digit number at `i` (the shape has already said both are digits). */
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

export function isDateTime(s: string): boolean {
  if (!SHAPE.test(s)) return false;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS[month]!)) return false;
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  let zone = 19;
  if (s.charCodeAt(zone) === 46 /* . */) while (++zone < s.length && s.charCodeAt(zone) >= 48 && s.charCodeAt(zone) <= 57);
  const sign = s.charCodeAt(zone) === 45 /* - */ ? -1 : 1;
  const numeric = s.charCodeAt(zone) === 43 || sign === -1;
  const zoneHours = numeric ? two(s, zone + 1) : 0;
  // ±hh, ±hhmm or ±hh:mm
  const zoneMinutes = numeric && s.length > zone + 3 ? two(s, s.length - 2) : 0;
  if (zoneHours > 23 || zoneMinutes > 59) return false;
  // A fraction never lifts a second to the next whole one: 59.999 < 60, 60.999 < 61.
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  // A leap second: 60 only at 23:59 UTC.
  const utcMinute = minute - zoneMinutes * sign;
  const utcHour = hour - zoneHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61;
}
