/** Column names and types as ClickHouse's JSON format reports them in `meta`. */
export interface ColumnMeta {
  name: string;
  type: string;
}

const WRAPPERS = /^(?:Nullable|LowCardinality)\((.*)\)$/;

function baseType(type: string): string {
  let t = type;
  for (let m = WRAPPERS.exec(t); m; m = WRAPPERS.exec(t)) t = m[1];
  return t;
}

/**
 * Result rows in the shapes DuckDBStore returns, so callers and the conformance suite see one
 * thing: times as Date (ClickHouse sends ISO text with date_time_output_format=iso), 64-bit
 * integers as numbers (output_format_json_quote_64bit_integers=0 sends them unquoted).
 */
export function plainRows(meta: readonly ColumnMeta[], data: Record<string, unknown>[]): Record<string, unknown>[] {
  const timeColumns = meta.filter((c) => /^(DateTime|Date)/.test(baseType(c.type))).map((c) => c.name);
  if (timeColumns.length === 0) return data;
  for (const row of data) {
    for (const name of timeColumns) {
      const v = row[name];
      if (typeof v === 'string') row[name] = new Date(v);
    }
  }
  return data;
}

/** 2026-11-24 09:30:00.123: what a DateTime64(3, 'UTC') parameter parses exactly, on a server and in chdb. */
export function utcText(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Named parameters for {name:Type} placeholders. Dates become UTC text with milliseconds: the
 * client's own Date formatting differs between HTTP and chdb and chdb drops the milliseconds.
 */
export function toQueryParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(params)) {
    if (v instanceof Date) out[key] = utcText(v);
    else if (Array.isArray(v)) out[key] = v.map((x) => (x instanceof Date ? utcText(x) : x));
    else out[key] = v;
  }
  return out;
}
