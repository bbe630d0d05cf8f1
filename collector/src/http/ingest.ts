// POST /v1/events body handling: JSON array (or one object) or NDJSON; strict validation; all or nothing per request.
import { type ContractRecord, type FieldError, validateRecord } from '@harmonix/contract';
import { canonicalJson } from '../core/canonical-json.js';
import type { BatchHints } from '../core/sink.js';

export interface IngestError extends FieldError {
  /** Position of the bad event in the batch (NDJSON: line index); null when the body itself is unreadable. */
  index: number | null;
}

export type IngestResult =
  | {
      ok: true;
      records: ContractRecord[];
      hints: Required<BatchHints>;
    }
  | { ok: false; status: 400 | 413; errors: IngestError[] };

/** `texts[i]`: the NDJSON line items[i] was parsed from (a JSON body has no text per item). */
export function parseBody(body: string, ndjson: boolean): { ok: true; items: unknown[]; texts?: string[] } | { ok: false; error: IngestError } {
  if (ndjson) {
    const items: unknown[] = [];
    const texts: string[] = [];
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      try {
        items.push(JSON.parse(line));
        texts.push(line);
      } catch (err) {
        return { ok: false, error: { index: i, field: '/', expected: `valid JSON on line ${i + 1} (${(err as Error).message.slice(0, 120)})` } };
      }
    }
    return { ok: true, items, texts };
  }
  try {
    const parsed: unknown = JSON.parse(body);
    return { ok: true, items: Array.isArray(parsed) ? parsed : [parsed] };
  } catch (err) {
    // RangeError too: a pathologically nested body overflows the parser's stack, which is still just bad input.
    return { ok: false, error: { index: null, field: '/', expected: `a JSON array of events or NDJSON (${(err as Error).message.slice(0, 120)})` } };
  }
}

export function validateBatch(items: unknown[], maxBatch: number, texts?: readonly string[]): IngestResult {
  if (items.length > maxBatch) {
    return { ok: false, status: 413, errors: [{ index: null, field: '/', expected: `at most ${maxBatch} events per request, got ${items.length}` }] };
  }
  const records: ContractRecord[] = [];
  const jsons: (string | undefined)[] = [];
  const times: number[] = [];
  const errors: IngestError[] = [];
  items.forEach((item, index) => {
    const result = validateRecord(item);
    if (result.ok) {
      records.push(result.value);
      times.push(result.timeMs);
      const text = texts?.[index];
      jsons.push(text === undefined ? undefined : canonicalJson(text, item));
    } else for (const e of result.errors) errors.push({ index, ...e });
  });
  return errors.length ? { ok: false, status: 400, errors: errors.slice(0, 1000) } : { ok: true, records, hints: { jsons, times } };
}
