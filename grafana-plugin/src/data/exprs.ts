/** LogQL for the stored lifecycle records. The collector's log records carry `event.name` = `hmx.<type>`,
 * which Loki's OTLP ingestion stores as the structured-metadata label `event_name` (docs/contract.md). */

export function keyframeExpr(selector: string): string {
  return `${selector} | event_name="hmx.keyframe"`;
}

/** every contract record in Loki except keyframes (flows are metrics, never log lines) */
export function recordsExpr(selector: string): string {
  return `${selector} | event_name=~"hmx\\\\..+" | event_name!="hmx.keyframe"`;
}

/** events per step for the density track: an aggregate, never raw lines */
export function densityExpr(selector: string, stepMs: number): string {
  return `sum(count_over_time(${selector} | event_name=~"hmx\\\\.(node|actor)\\\\..+" [${stepMs}ms]))`;
}
