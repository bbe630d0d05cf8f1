// Every PromQL, LogQL and TraceQL expression in the provisioned dashboards and alert rules parses
// with the grammars Grafana and Prometheus ship (@prometheus-io/lezer-promql, @grafana/lezer-logql,
// @grafana/lezer-traceql): zero error nodes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import type { LRParser } from '@lezer/lr';
import { allQueries, interpolate, type QueryLanguage } from './provisioning.js';

const parsers: Record<QueryLanguage, LRParser> = { promql: promqlParser, logql: logqlParser, traceql: traceqlParser };

/** Positions of the error nodes the grammar produced for `expr`. */
export function syntaxErrors(language: QueryLanguage, expr: string): number[] {
  const at: number[] = [];
  parsers[language].parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) at.push(node.from);
    },
  });
  return at;
}

describe('query syntax', () => {
  const queries = allQueries();

  it('finds queries of every language in the provisioning files', () => {
    const count = (l: QueryLanguage) => queries.filter((q) => q.language === l).length;
    assert.ok(count('promql') >= 60, `promql: ${count('promql')}`);
    assert.ok(count('logql') >= 5, `logql: ${count('logql')}`);
    assert.ok(count('traceql') >= 1, `traceql: ${count('traceql')}`);
    assert.equal(queries.filter((q) => q.ruleUid).length, 12, 'one PromQL query per alert rule');
  });

  it('the grammars reject broken expressions (the check can fail)', () => {
    assert.ok(syntaxErrors('promql', 'sum by (a (rate(x_total[1m]))').length > 0);
    assert.ok(syntaxErrors('logql', '{service_name="x"} | event_name=~').length > 0);
    assert.ok(syntaxErrors('traceql', '{ resource.service.name = }').length > 0);
  });

  for (const q of queries) {
    it(`${q.language} parses: ${q.file} ${q.where}`, () => {
      const expr = interpolate(q.expr);
      const errors = syntaxErrors(q.language, expr);
      assert.deepEqual(errors, [], `${q.language} syntax error at ${errors.map((p) => `${p}: …${expr.slice(p, p + 20)}`).join(', ')} in ${expr}`);
    });
  }
});
