/**
 * The query text with its named parameters written in as SQL literals. DuckDB plans a prepared
 * statement before it sees the values, so `CASE WHEN list_contains($group_by, 'tier') ...` and
 * `$workflow IS NULL OR ...` would be evaluated on every row; as literals they fold away and
 * the optimizer drops the branches a cut does not use (a third of the agreement query's time).
 * Values come from validated cuts and config, and every string is quoted, quotes doubled.
 * Only `$names` present in the text are replaced; one without a value is left for DuckDB to
 * report.
 */
export function inlineParams(sql: string, params: Record<string, unknown>): string {
  return sql.replace(/\$([a-z_][a-z0-9_]*)/gi, (whole, name: string) =>
    Object.hasOwn(params, name) ? sqlLiteral(params[name], name) : whole,
  );
}

function sqlLiteral(v: unknown, name: string): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new Error(`query parameter ${name}: invalid date`);
    return `TIMESTAMP '${v.toISOString().slice(0, -1).replace('T', ' ')}'`;
  }
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`query parameter ${name}: ${v} is not a finite number`);
    return Number.isInteger(v) ? String(v) : `${v}::DOUBLE`;
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (Array.isArray(v)) {
    // an empty list still needs its type, and a numeric list must not become INTEGER[]
    const numeric = v.length > 0 && v.every((x) => typeof x === 'number');
    return `[${v.map((x) => sqlLiteral(x, name)).join(', ')}]::${numeric ? 'DOUBLE' : 'VARCHAR'}[]`;
  }
  throw new Error(`query parameter ${name}: unsupported value ${JSON.stringify(v)}`);
}
