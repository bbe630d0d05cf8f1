/** LogQL for the stored lifecycle records. The collector's log records carry `event.name` = `hmx.<type>`,
 * which Loki's OTLP ingestion stores as the structured-metadata label `event_name` (docs/contract.md). */

export function keyframeExpr(selector: string): string {
  return `${selector} | event_name="hmx.keyframe"`;
}

/** part 0 of every keyframe (a keyframe without parts too): when each collector was heard, and which emitters it
 * applies (contract revision 1.2), without reading whole snapshots */
export function keyframeHeadsExpr(selector: string): string {
  return `${keyframeExpr(selector)} | hmx_keyframe_part_index!~"[1-9][0-9]*"`;
}

/** every contract record in Loki except keyframes (flows are metrics, never log lines) */
export function recordsExpr(selector: string): string {
  return `${selector} | event_name=~"hmx\\\\..+" | event_name!="hmx.keyframe"`;
}

/** every record and the keyframe heads (when each collector was heard) in one query: a window's read and the live
 * poll */
export function recordsAndHeadsExpr(selector: string): string {
  return `${selector} | event_name=~"hmx\\\\..+" | hmx_keyframe_part_index!~"[1-9][0-9]*"`;
}

/** events per step for the density track: an aggregate, never raw lines */
export function densityExpr(selector: string, stepMs: number): string {
  return `sum(count_over_time(${selector} | event_name=~"hmx\\\\.(node|actor)\\\\..+" [${stepMs}ms]))`;
}

/** PromQL: messages/s per actor edge over the window; the rate range spans two steps (at least 1 min, so
 * a 10 s export interval always gives it two samples) */
export function flowsExpr(stepMs: number): string {
  const range = Math.max(60_000, 2 * stepMs);
  return `sum by (hmx_source_actor_id, hmx_destination_actor_id, hmx_source_node_id, hmx_destination_node_id) (rate(hmx_flow_messages_total[${range}ms]))`;
}
