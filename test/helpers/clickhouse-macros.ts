/**
 * What the official Grafana ClickHouse datasource (grafana/clickhouse-datasource) does to a
 * panel's rawSql before ClickHouse sees it, in its order, so a test can run the SQL a dashboard
 * would send. Sources (read at commits 4304e52 and 1d04063a of grafana/clickhouse-datasource;
 * the expansions are the same in both):
 *
 * 1. Frontend, src/data/CHDatasource.ts applyConditionalAll: `$__conditionalAll(cond, $var)`
 *    becomes `1=1` when the variable's current value is '' or '$__all' (All selected), else
 *    `cond`. Arguments split at top-level commas (getMacroArgs counts parentheses).
 * 2. Frontend, Grafana's templateSrv.replace: `${var:singlequote}` is each value in single
 *    quotes, `'` escaped as `\'`, joined by ',' (public/app/features/templating/formatRegistry.ts);
 *    a plain `$var` of a multi-value variable uses the plugin's format(): `'a','b'` (arrays),
 *    the value itself otherwise.
 * 3. Backend, pkg/macros/macros.go (macropro, arguments split at top-level commas and trimmed):
 *    $__timeFilter(c)    -> c >= toDateTime(<from s>) AND c <= toDateTime(<to s>)
 *    $__timeFilter_ms(c) -> c >= fromUnixTimestamp64Milli(<from ms>) AND c <= fromUnixTimestamp64Milli(<to ms>)
 *    $__dateFilter(c)    -> c >= toDate('<from day>') AND c <= toDate('<to day>')
 *    $__timeInterval(c)  -> toStartOfInterval(toDateTime(c), INTERVAL <max(interval s, 1)> second)
 *    $__fromTime, $__toTime       -> toDateTime(<s>)
 *    $__fromTime_ms, $__toTime_ms -> fromUnixTimestamp64Milli(<ms>)
 *    $__interval_s       -> <max(interval s, 1)>
 *    (seconds are Go's time.Unix(): whole seconds, rounded down.)
 * test/unit/clickhouse-macros.test.ts runs the plugin's own test vectors (CHDatasource.test.ts
 * "Conditional All", macros_test.go TestInterpolate) through these functions.
 * Any other `$__` macro throws, so a panel that starts using one fails its test until the
 * expansion is added here from the plugin's source.
 */
export interface MacroContext {
  from: Date;
  to: Date;
  /** The panel's interval (Grafana's $__interval), in seconds. */
  intervalSeconds: number;
  /** Each dashboard variable: the selected values, or '$__all' for All. */
  variables: Record<string, string[] | '$__all'>;
}

const CONDITIONAL_ALL = '$__conditionalAll(';

/** getMacroArgs of CHDatasource.ts: the arguments of the call whose '(' is at `open`. */
function macroArgs(sql: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === ',' && depth === 1) {
      args.push(sql.slice(start, i));
      start = i + 1;
    }
    if (depth === 0) {
      args.push(sql.slice(start, i));
      return { args, end: i + 1 };
    }
  }
  throw new Error(`unbalanced parentheses after ${sql.slice(open - 20, open + 20)}`);
}

export function applyConditionalAll(sql: string, variables: MacroContext['variables']): string {
  // the plugin works from the last occurrence backwards
  let at = sql.lastIndexOf(CONDITIONAL_ALL);
  while (at !== -1) {
    const { args, end } = macroArgs(sql, at + CONDITIONAL_ALL.length - 1);
    if (args.length !== 2) throw new Error(`$__conditionalAll takes 2 arguments, got ${args.length}`);
    const name = /(?<=\$\{)\w+(?=\})|(?<=\$)\w+/.exec(args[1].trim())?.[0];
    const value = name ? variables[name] : undefined;
    const all = value === '$__all' || (Array.isArray(value) && value.join(',') === '');
    sql = sql.slice(0, at) + (all ? '1=1' : args[0]) + sql.slice(end);
    at = sql.lastIndexOf(CONDITIONAL_ALL);
  }
  return sql;
}

const singleQuote = (values: string[]): string => values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(',');

function replaceVariables(sql: string, variables: MacroContext['variables']): string {
  return sql.replace(/\$\{(\w+)(?::(\w+))?\}|\$(?!__)(\w+)/g, (whole, braced: string, format: string | undefined, bare: string) => {
    const name = braced ?? bare;
    const value = variables[name];
    if (value === undefined) throw new Error(`no value for dashboard variable ${whole}`);
    // All, not expanded by $__conditionalAll: Grafana passes every option; the test never does this
    if (value === '$__all') throw new Error(`${whole} used outside $__conditionalAll with All selected`);
    if (format === 'singlequote') return singleQuote(value);
    // the plugin's own format() for a plain $var: no escaping
    if (format === undefined) return `'${value.join("','")}'`;
    throw new Error(`variable format ${format} is not expanded here`);
  });
}

/** pkg/macros/macros.go: one macro's expansion from its (trimmed) arguments. */
function backendMacro(name: string, args: string[], ctx: MacroContext): string {
  const fromMs = ctx.from.getTime();
  const toMs = ctx.to.getTime();
  const from = Math.floor(fromMs / 1000);
  const to = Math.floor(toMs / 1000);
  const interval = Math.max(Math.floor(ctx.intervalSeconds), 1);
  const col = (): string => {
    if (args.length !== 1) throw new Error(`$__${name} takes 1 argument, got ${args.length}`);
    return args[0];
  };
  const date = (ms: number) => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`;
  switch (name) {
    case 'timeFilter':
      return `${col()} >= toDateTime(${from}) AND ${col()} <= toDateTime(${to})`;
    case 'timeFilter_ms':
      return `${col()} >= fromUnixTimestamp64Milli(${fromMs}) AND ${col()} <= fromUnixTimestamp64Milli(${toMs})`;
    case 'dateFilter':
      return `${col()} >= ${date(fromMs)} AND ${col()} <= ${date(toMs)}`;
    case 'timeInterval':
      return `toStartOfInterval(toDateTime(${col()}), INTERVAL ${interval} second)`;
    case 'fromTime':
      return `toDateTime(${from})`;
    case 'toTime':
      return `toDateTime(${to})`;
    case 'fromTime_ms':
      return `fromUnixTimestamp64Milli(${fromMs})`;
    case 'toTime_ms':
      return `fromUnixTimestamp64Milli(${toMs})`;
    case 'interval_s':
      return String(interval);
    default:
      throw new Error(`macro $__${name} is not expanded here: add it from the plugin's pkg/macros/macros.go`);
  }
}

/** The backend's pass: every `$__name` or `$__name(args)`, arguments split at top-level commas. */
export function expandBackendMacros(sql: string, ctx: MacroContext): string {
  let out = '';
  let i = 0;
  const macro = /\$__(\w+)/g;
  for (let m = macro.exec(sql); m; m = macro.exec(sql)) {
    out += sql.slice(i, m.index);
    let end = m.index + m[0].length;
    let args: string[] = [];
    if (sql[end] === '(') {
      const call = macroArgs(sql, end);
      args = call.args.map((a) => a.trim());
      end = call.end;
    }
    out += backendMacro(m[1], args, ctx);
    i = end;
    macro.lastIndex = end;
  }
  return out + sql.slice(i);
}

/** rawSql as the plugin sends it to ClickHouse. */
export function expandClickHouseMacros(sql: string, ctx: MacroContext): string {
  return expandBackendMacros(replaceVariables(applyConditionalAll(sql, ctx.variables), ctx.variables), ctx);
}
