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
 * Query rows in the shapes the query declarations promise (src/store/query-rows.ts), decoded
 * here once for ClickHouse: times as Date (ClickHouse sends ISO text with
 * date_time_output_format=iso); 64-bit integers are numbers already, because every request sets
 * output_format_json_quote_64bit_integers=0 (clickhouse-store.ts), and Maps are JSON objects.
 */
export function decodedRows(meta: readonly ColumnMeta[], data: Record<string, unknown>[]): Record<string, unknown>[] {
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
