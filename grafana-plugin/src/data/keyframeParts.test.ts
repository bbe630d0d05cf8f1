import { FieldType, createDataFrame } from '@grafana/data';
import { groupKeyframes, isComplete } from './keyframeParts';
import { logRows } from './logRows';

const T = 1_000_000;

/** A keyframe part as the collector writes it, and the structured metadata it stores with it. */
function part(index: number, count: number, id = 'c@h/1-1#7') {
  const line = JSON.stringify({
    v: 1,
    type: 'keyframe',
    time: new Date(T).toISOString(),
    emitter: 'c@h',
    seq: 7,
    part: { id, index, count },
    nodes: [],
    actors: [],
  });
  const labels = {
    service_name: 'hmx-collector',
    hmx_emitter: 'c@h',
    hmx_keyframe_id: id,
    hmx_keyframe_part_index: String(index),
    hmx_keyframe_part_count: String(count),
  };
  return { line, labels };
}

/** Rows through logRows, from a Loki frame with a labels field (Grafana's categorize-labels shape). */
function rows(parts: Array<{ line: string; labels: Record<string, string> }>) {
  return logRows([
    createDataFrame({
      fields: [
        { name: 'labels', type: FieldType.other, values: parts.map((p) => p.labels) },
        { name: 'Time', type: FieldType.time, values: parts.map(() => T) },
        { name: 'Line', type: FieldType.string, values: parts.map((p) => p.line) },
        { name: 'tsNs', type: FieldType.string, values: parts.map(() => `${T}000000`) },
      ],
    }),
  ]);
}

describe('groupKeyframes: part headers', () => {
  it('reads a part header from its structured metadata without its body', () => {
    // bodies that are not JSON: only the metadata can say which part each line is
    const got = groupKeyframes(rows([0, 1, 2].map((i) => ({ ...part(i, 3), line: `not json ${i}` }))));
    expect(got.malformed).toBe(0);
    expect(got.groups).toHaveLength(1);
    const g = got.groups[0];
    expect({ emitter: g.emitter, partId: g.partId, time: g.time, count: g.count }).toEqual({
      emitter: 'c@h',
      partId: 'c@h/1-1#7',
      time: T,
      count: 3,
    });
    expect(isComplete(g)).toBe(true);
    expect(g.rows.map((r) => r.line)).toEqual(['not json 0', 'not json 1', 'not json 2']);
  });

  it('falls back to the body when the metadata are missing or out of range', () => {
    const noLabels = { ...part(0, 2), labels: { service_name: 'hmx-collector' } };
    const outOfRange = { ...part(1, 2), labels: { ...part(1, 2).labels, hmx_keyframe_part_index: '5' } };
    const got = groupKeyframes(rows([noLabels, outOfRange]));
    expect(got.malformed).toBe(0);
    expect(got.groups).toHaveLength(1);
    expect(isComplete(got.groups[0])).toBe(true);
    // neither metadata nor body: counted as malformed, the rest kept
    const bad = { line: '{', labels: { hmx_keyframe_part_index: 'x' } };
    expect(groupKeyframes(rows([part(0, 2), bad])).malformed).toBe(1);
  });
});
