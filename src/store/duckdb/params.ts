import { LIST, TIMESTAMP, VARCHAR, listValue, timestampValue, type DuckDBType, type DuckDBValue } from './node-api.js';

/** A query ready for DuckDB: its text and the values bound to the `$names` left in it. */
export interface BoundQuery {
  text: string;
  values: Record<string, DuckDBValue>;
  types: Record<string, DuckDBType>;
}

/**
 * Parameters whose values are a closed vocabulary, validated before they reach the store
 * (src/metrics/cuts.ts: a bucket name, dimension names): written into the text so that the
 * cut's `CASE WHEN list_contains($group_by, ...)` folds. Each is checked here again.
 */
const STRUCTURAL = new Set(['group_by', 'bucket']);
const VOCABULARY = /^[a-z_]{1,32}$/;

/**
 * Splits named parameters between the text and DuckDB's binding: no SQL text is ever built from
 * a value that can come from a request (docs/sql.md, "Values are bound"). Strings, times and
 * lists of strings are bound. What is written in is what cannot carry request text: NULL (so
 * the cut's `$x IS NULL OR ...` folds away for an absent filter, DuckDB plans a prepared
 * statement before it sees the values), finite numbers, booleans, numeric lists, and the
 * structural parameters above. Only `$names` present in the text are handled; one without a
 * value is left for DuckDB to report.
 */
export function bindParams(sql: string, params: Record<string, unknown>): BoundQuery {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  const text = sql.replace(/\$([a-z_][a-z0-9_]*)/gi, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    const v = params[name];
    if (STRUCTURAL.has(name)) return structuralLiteral(v, name);
    const literal = constantLiteral(v, name);
    if (literal !== undefined) return literal;
    if (!Object.hasOwn(values, name)) [values[name], types[name]] = boundValue(v, name);
    return whole;
  });
  return { text, values, types };
}

function structuralLiteral(v: unknown, name: string): string {
  if (v === null || v === undefined) return 'NULL';
  const items = Array.isArray(v) ? v : [v];
  for (const x of items) {
    if (typeof x !== 'string' || !VOCABULARY.test(x)) throw new Error(`query parameter ${name}: ${JSON.stringify(x)} is not a known name`);
  }
  const quoted = items.map((x) => `'${x}'`);
  return Array.isArray(v) ? `[${quoted.join(', ')}]::VARCHAR[]` : quoted[0];
}

/** The literal of a value that holds no text (undefined: the value is bound instead). */
function constantLiteral(v: unknown, name: string): string | undefined {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`query parameter ${name}: ${v} is not a finite number`);
    return Number.isInteger(v) ? String(v) : `${v}::DOUBLE`;
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) {
    return `[${v.map((x) => constantLiteral(x, name)).join(', ')}]::DOUBLE[]`;
  }
  return undefined;
}

const VARCHAR_LIST = LIST(VARCHAR);

function boundValue(v: unknown, name: string): [DuckDBValue, DuckDBType] {
  if (typeof v === 'string') return [v, VARCHAR];
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new Error(`query parameter ${name}: invalid date`);
    return [timestampValue(BigInt(v.getTime()) * 1000n), TIMESTAMP];
  }
  // an empty list still needs its type; any other list here holds strings
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [listValue(v), VARCHAR_LIST];
  throw new Error(`query parameter ${name}: unsupported value ${JSON.stringify(v)}`);
}
