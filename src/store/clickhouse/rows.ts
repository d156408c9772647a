/** Column names and types as ClickHouse's JSON format reports them in `meta`. */
export interface ColumnMeta {
  name: string;
  type: string;
}

type Decode = (v: unknown) => unknown;

const WRAPPERS = /^(?:Nullable|LowCardinality)\((.*)\)$/;
// a histogram written as the pairs of a Map (the SQL's arrayMap((k, v) -> (k, v)) over mapKeys/mapValues)
const ENTRIES = /^Array\(Tuple\(key [^,]+, value (.+)\)\)$/;

function baseType(type: string): string {
  let t = type;
  for (let m = WRAPPERS.exec(t); m; m = WRAPPERS.exec(t)) t = m[1];
  return t;
}

const toDate: Decode = (v) => (typeof v === 'string' ? new Date(v) : v);
// 64-bit integers come unquoted (output_format_json_quote_64bit_integers=0 on every request);
// a quoted one, from a server that ignores the setting, is still made a number here
const toNumber: Decode = (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
const orNull = (decode: Decode): Decode => (v) => (v === null || v === undefined ? v : decode(v));

/** How a value of a ClickHouse type becomes what the query declarations promise; undefined: as it comes. */
function decoderFor(type: string): Decode | undefined {
  const t = baseType(type);
  if (/^(DateTime|Date)/.test(t)) return toDate;
  if (/^U?Int(64|128|256)$/.test(t)) return toNumber;
  const entries = ENTRIES.exec(t);
  if (entries) {
    const value = orNull(decoderFor(entries[1]) ?? ((v) => v));
    return (v) => Object.fromEntries((v as { key: unknown; value: unknown }[]).map((e) => [String(e.key), value(e.value)]));
  }
  const list = /^Array\((.*)\)$/.exec(t);
  if (list) {
    const item = decoderFor(list[1]);
    return item && ((v) => (v as unknown[]).map(orNull(item)));
  }
  return undefined;
}

/**
 * Query rows in the shapes the query declarations promise (src/store/query-rows.ts), decoded
 * here once for ClickHouse by each column's type: times as Date (ClickHouse sends ISO text with
 * date_time_output_format=iso), 64-bit integers as numbers, and a histogram's key/value pairs
 * as a plain object (as DuckDB's MAP is in src/store/duckdb/rows.ts).
 */
export function decodedRows(meta: readonly ColumnMeta[], data: Record<string, unknown>[]): Record<string, unknown>[] {
  const columns = meta.flatMap((c) => {
    const decode = decoderFor(c.type);
    return decode ? [{ name: c.name, decode }] : [];
  });
  if (columns.length === 0) return data;
  for (const row of data) {
    for (const { name, decode } of columns) {
      const v = row[name];
      if (v !== null && v !== undefined) row[name] = decode(v);
    }
  }
  return data;
}
