import { CoreApp, DataQuery, DataQueryRequest, DataQueryResponse, dateTime } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { isObservable, lastValueFrom } from 'rxjs';
import { nextTask } from './nextTask';

/** One query target in the datasource's own model (Loki: expr, queryType, maxLines, direction; Prometheus: expr, interval). */
export type Target = DataQuery & Record<string, unknown>;

/** Runs one target over [from, to) (epoch ms) and resolves with the whole response. */
export type QueryRunner = (target: Target, from: number, to: number) => Promise<DataQueryResponse>;

/** A datasource refused or failed a query: the text is the datasource's own message. */
export class QueryRefused extends Error {
  constructor(
    readonly uid: string,
    message: string,
    readonly status?: number
  ) {
    super(message);
  }
}

let requestSeq = 0;

/** Queries through Grafana's own datasource service (`getDataSourceSrv().get(uid).query(…)`, i.e.
 * POST /api/ds/query for backend datasources), so auth, proxying and the datasource's limits apply. */
export function datasourceRunner(uid: string, maxDataPoints = 1000): QueryRunner {
  return async (target, from, to) => {
    const ds = await getDataSourceSrv().get({ uid });
    const range = { from: dateTime(from), to: dateTime(to) };
    const intervalMs = Math.max(1, Math.ceil((to - from) / maxDataPoints));
    const request: DataQueryRequest<DataQuery> = {
      // unique: a repeated requestId would cancel the earlier in-flight call
      requestId: `hmx-stored-${++requestSeq}`,
      interval: `${intervalMs}ms`,
      intervalMs,
      maxDataPoints,
      range: { ...range, raw: range },
      scopedVars: {},
      targets: [{ ...target, datasource: undefined }],
      timezone: 'utc',
      app: CoreApp.Dashboard,
      startTime: Date.now(),
    };
    const out = ds.query(request);
    const rsp = isObservable(out) ? await lastValueFrom(out) : await out;
    // the answer was parsed and decoded in this task; what the panel does with it runs in the next one
    await nextTask();
    const err = rsp.errors?.[0];
    if (err) {
      throw new QueryRefused(uid, err.message ?? 'query failed', err.status);
    }
    return rsp;
  };
}
