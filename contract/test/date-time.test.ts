// The allocation-free date-time check gives ajv-formats' verdicts (the format it replaces on ingest), edge cases and
// generated strings alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isDateTime } from '../src/date-time.js';

const reference = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;

const EDGES = [
  '2026-11-01T12:00:00Z',
  '2026-11-01t12:00:00z',
  '2026-11-01 12:00:00Z',
  '2026-11-01\t12:00:00Z',
  '2026-11-01\u202812:00:00Z',
  '2026-11-01TT12:00:00Z',
  '2026-11-01T12:00:00',
  '2026-11-01T12:00:00.123456789Z',
  '2026-11-01T12:00:00.Z',
  '2026-11-01T12:00:00+05:30',
  '2026-11-01T12:00:00+0530',
  '2026-11-01T12:00:00+05',
  '2026-11-01T12:00:00+05:3',
  '2026-11-01T12:00:00-24:00',
  '2026-11-01T12:00:00+23:60',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '2100-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-12-31T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-01-00T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-12-31T23:59:60Z',
  '2026-12-31T23:59:60.5Z',
  '2026-12-31T23:59:61Z',
  '2026-12-31T23:58:60Z',
  '2027-01-01T00:59:60+01:00',
  '2026-12-31T22:59:60-01:00',
  '2026-12-31T23:59:60+01:00',
  '2026-12-31T05:29:60+05:30',
  '2027-01-01T00:00:60+00:01',
  '99999-01-01T00:00:00Z',
  '２026-01-01T00:00:00Z',
  '',
  'T',
];

test('the edge cases get the same verdict as ajv-formats', () => {
  for (const s of EDGES) assert.equal(isDateTime(s), reference(s), JSON.stringify(s));
});

test('generated near-timestamps get the same verdict as ajv-formats', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = '0123456789012345678901234567890-:.+Tt zZ\t';
  const bases = ['2026-11-01T12:00:00Z', '2024-02-29T23:59:60.25+00:00', '1999-12-31 00:00:00-0130', '2026-06-30T09:15:27.5+05'];
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const chars = [...bases[i % bases.length]!];
    for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
      const at = Math.floor(random() * (chars.length + 1));
      const c = alphabet[Math.floor(random() * alphabet.length)]!;
      const op = random();
      if (op < 0.6) chars[at] = c;
      else if (op < 0.8) chars.splice(at, 0, c);
      else chars.splice(at, 1);
    }
    const s = chars.join('');
    const want = reference(s);
    assert.equal(isDateTime(s), want, JSON.stringify(s));
    if (want) accepted++;
  }
  // both verdicts occur often enough for the comparison to mean something
  assert.ok(accepted > 1000 && accepted < 19_000, `accepted ${accepted}`);
});
