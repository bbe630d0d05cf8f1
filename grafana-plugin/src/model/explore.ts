/** Builds Grafana Explore URLs for click-through (pure; no datasource calls). */

/** A double-quoted string literal valid in TraceQL and LogQL. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

export function exploreUrl(
  dsUid: string,
  dsType: string,
  query: Record<string, unknown>,
  t: number,
  spanMs = 5 * 60_000
): string {
  const panes = {
    a: {
      datasource: dsUid,
      queries: [{ refId: 'A', datasource: { type: dsType, uid: dsUid }, ...query }],
      range: { from: String(Math.round(t - spanMs)), to: String(Math.round(t + spanMs)) },
    },
  };
  return `/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

export function actorTraceQuery(attr: string, actorId: string): string {
  return `{ ${attr} = ${quote(actorId)} }`;
}

/** Message spans (docs/contract.md): the PRODUCER span of the sender carries the sender's actor id
 * and `messaging.destination.name` = the destination actor id. */
export function edgeTraceQuery(attr: string, from: string, to: string): string {
  return `{ ${attr} = ${quote(from)} && span.messaging.destination.name = ${quote(to)} }`;
}

/** LogQL for the lifecycle events of one entity: hmx.node.id / hmx.actor.id are structured
 * metadata on the log records (docs/contract.md), so a label filter needs no parser. */
export function lifecycleLogQuery(selector: string, kind: 'node' | 'actor', id: string): string {
  return `${selector} | hmx_${kind}_id = ${quote(id)}`;
}

export function tempoLink(uid: string, query: string, t: number): string {
  return exploreUrl(uid, 'tempo', { queryType: 'traceql', query }, t);
}

export function lokiLink(uid: string, expr: string, t: number): string {
  return exploreUrl(uid, 'loki', { expr, queryType: 'range' }, t);
}
