// The LogQL subset the fake Loki understands. Anything outside it is answered the way Loki answers a
// syntax error (400 "parse error at line 1, col C: …"), so a client never silently gets a wrong result.
//
//   log query    {l="v", l=~"re", l!="v", l!~"re"} [|= "s" | != "s" | |~ "re" | !~ "re" | | label op "v" | | label >|>=|<|<=|==|!= 42]…
//   metric query [sum [by|without (l, …)]] ( count_over_time|rate|bytes_over_time|bytes_rate ( <log query> [dur] ) )
import { LokiError, parseDurationNs } from './time.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}
export type NumericOp = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type Stage =
  | { kind: 'line'; op: '|=' | '!=' | '|~' | '!~'; value: string }
  | { kind: 'label'; matcher: Matcher }
  /** `| name > 42`: the label's value compared as a number (a non-numeric value does not pass) */
  | { kind: 'number'; name: string; op: NumericOp; value: number };
export interface LogQuery {
  selector: Matcher[];
  stages: Stage[];
}
export type RangeFn = 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate';
export interface MetricQuery {
  fn: RangeFn;
  rangeNs: bigint;
  log: LogQuery;
  aggregate?: { op: 'sum'; by?: string[]; without?: string[] };
}
export type Query = { kind: 'log'; log: LogQuery } | { kind: 'metric'; metric: MetricQuery };

const RANGE_FNS = new Set(['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate']);
// only sum: the store merges a group's entries before counting, which is exactly sum's semantics
const AGGREGATES = new Set(['sum']);

type Token = { t: 'ident' | 'string' | 'op' | 'punct' | 'duration' | 'number'; v: string; col: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (c === '"' && src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1]!;
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else {
          v += src[j++];
        }
      }
      if (j >= src.length) {
        throw new LokiError(`parse error at line 1, col ${col}: literal not terminated`);
      }
      out.push({ t: 'string', v, col });
      i = j + 1;
    } else if (c === '[') {
      const end = src.indexOf(']', i);
      const d = end < 0 ? '' : src.slice(i + 1, end).trim();
      if (parseDurationNs(d) === undefined) {
        throw new LokiError(`parse error at line 1, col ${col}: not a valid duration string: "${d}"`);
      }
      out.push({ t: 'duration', v: d, col });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))![0];
      out.push({ t: 'number', v: m, col });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i))![0];
      out.push({ t: 'ident', v: m, col });
      i += m.length;
    } else {
      const two = src.slice(i, i + 2);
      if (['|=', '!=', '|~', '!~', '=~', '>=', '<=', '=='].includes(two)) {
        out.push({ t: 'op', v: two, col });
        i += 2;
      } else if (c === '=' || c === '|' || c === '>' || c === '<') {
        out.push({ t: 'op', v: c, col });
        i++;
      } else if ('{}(),'.includes(c)) {
        out.push({ t: 'punct', v: c, col });
        i++;
      } else {
        throw new LokiError(`parse error at line 1, col ${col}: syntax error: unexpected ${c}`);
      }
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly len: number,
  ) {}

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private fail(what: string): never {
    const t = this.peek();
    throw new LokiError(`parse error at line 1, col ${t?.col ?? this.len + 1}: syntax error: unexpected ${t ? t.v : 'end of input'}, expecting ${what}`);
  }
  private take(t: Token['t'], v?: string): Token {
    const tok = this.peek();
    if (!tok || tok.t !== t || (v !== undefined && tok.v !== v)) {
      this.fail(v ?? t);
    }
    this.i++;
    return tok;
  }
  private is(t: Token['t'], v?: string): boolean {
    const tok = this.peek();
    return !!tok && tok.t === t && (v === undefined || tok.v === v);
  }
  done(): void {
    if (this.peek()) {
      this.fail('end of input');
    }
  }

  private matcher(): Matcher {
    const name = this.take('ident').v;
    const op = this.peek();
    if (!op || op.t !== 'op' || !['=', '!=', '=~', '!~'].includes(op.v)) {
      this.fail('= != =~ !~');
    }
    this.i++;
    const value = this.take('string').v;
    if (op.v === '=~' || op.v === '!~') {
      compileRegex(value, op.col);
    }
    return { name, op: op.v as MatchOp, value };
  }

  log(): LogQuery {
    this.take('punct', '{');
    const selector: Matcher[] = [this.matcher()];
    while (this.is('punct', ',')) {
      this.i++;
      selector.push(this.matcher());
    }
    this.take('punct', '}');
    if (!selector.some((m) => (m.op === '=' && m.value !== '') || (m.op === '=~' && !compileRegex(m.value, 0).test('')))) {
      throw new LokiError(
        'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will',
      );
    }
    const stages: Stage[] = [];
    for (let tok = this.peek(); tok && tok.t === 'op'; tok = this.peek()) {
      if (['|=', '!=', '|~', '!~'].includes(tok.v)) {
        this.i++;
        const value = this.take('string').v;
        if (tok.v === '|~' || tok.v === '!~') {
          compileRegex(value, tok.col, false);
        }
        stages.push({ kind: 'line', op: tok.v as '|=' | '!=' | '|~' | '!~', value });
      } else if (tok.v === '|') {
        this.i++;
        const next = this.toks[this.i + 1];
        const after = this.toks[this.i + 2];
        if (next?.t === 'op' && ['>', '>=', '<', '<=', '==', '!='].includes(next.v) && after?.t === 'number') {
          const name = this.take('ident').v;
          this.i += 2;
          stages.push({ kind: 'number', name, op: next.v as NumericOp, value: Number(after.v) });
        } else {
          stages.push({ kind: 'label', matcher: this.matcher() });
        }
      } else {
        break;
      }
    }
    return { selector, stages };
  }

  private labelList(): string[] {
    this.take('punct', '(');
    const names = [this.take('ident').v];
    while (this.is('punct', ',')) {
      this.i++;
      names.push(this.take('ident').v);
    }
    this.take('punct', ')');
    return names;
  }

  private grouping(agg: NonNullable<MetricQuery['aggregate']>): void {
    if (this.is('ident', 'by')) {
      this.i++;
      agg.by = this.labelList();
    } else if (this.is('ident', 'without')) {
      this.i++;
      agg.without = this.labelList();
    }
  }

  metric(): MetricQuery {
    const head = this.take('ident');
    if (AGGREGATES.has(head.v)) {
      const aggregate: NonNullable<MetricQuery['aggregate']> = { op: 'sum' };
      this.grouping(aggregate);
      this.take('punct', '(');
      const inner = this.rangeFn(this.take('ident'));
      this.take('punct', ')');
      if (!aggregate.by && !aggregate.without) {
        this.grouping(aggregate);
      }
      return { ...inner, aggregate };
    }
    return this.rangeFn(head);
  }

  private rangeFn(head: Token): MetricQuery {
    if (!RANGE_FNS.has(head.v)) {
      this.i--;
      this.fail(`sum or one of ${[...RANGE_FNS].join(' ')} (the fake Loki's subset)`);
    }
    this.take('punct', '(');
    const log = this.log();
    const rangeNs = parseDurationNs(this.take('duration').v)!;
    this.take('punct', ')');
    return { fn: head.v as RangeFn, rangeNs, log };
  }

  query(): Query {
    const q: Query = this.is('punct', '{') ? { kind: 'log', log: this.log() } : { kind: 'metric', metric: this.metric() };
    this.done();
    return q;
  }
}

/** Label matchers are fully anchored (Prometheus semantics); line filters are not. */
const regexCache = new Map<string, RegExp>();

export function compileRegex(re: string, col: number, anchored = true): RegExp {
  const source = anchored ? `^(?:${re})$` : re;
  const cached = regexCache.get(source);
  if (cached) {
    return cached;
  }
  try {
    const compiled = new RegExp(source, 'su');
    regexCache.set(source, compiled);
    return compiled;
  } catch (e) {
    throw new LokiError(`parse error at line 1, col ${col}: invalid regex ${JSON.stringify(re)}: ${(e as Error).message}`);
  }
}

export function parseQuery(src: string): Query {
  if (src.trim() === '') {
    throw new LokiError('parse error : syntax error: unexpected $end');
  }
  return new Parser(tokenize(src), src.length).query();
}

export function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return compileRegex(m.value, 0).test(v);
    case '!~':
      return !compileRegex(m.value, 0).test(v);
  }
}

export function passesStages(stages: Stage[], line: string, labels: Record<string, string>): boolean {
  for (const s of stages) {
    if (s.kind === 'number') {
      const raw = labels[s.name];
      const v = raw === undefined || raw === '' ? NaN : Number(raw);
      const pass =
        s.op === '>'
          ? v > s.value
          : s.op === '>='
            ? v >= s.value
            : s.op === '<'
              ? v < s.value
              : s.op === '<='
                ? v <= s.value
                : s.op === '=='
                  ? v === s.value
                  : !Number.isNaN(v) && v !== s.value;
      if (!pass) {
        return false;
      }
      continue;
    }
    if (s.kind === 'label') {
      if (!matches(s.matcher, labels)) {
        return false;
      }
      continue;
    }
    const hit = s.op === '|=' || s.op === '!=' ? line.includes(s.value) : compileRegex(s.value, 0, false).test(line);
    if (hit !== (s.op === '|=' || s.op === '|~')) {
      return false;
    }
  }
  return true;
}
