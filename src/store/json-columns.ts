import { EVENT_COLUMNS } from '../events/row.js';

/** Columns stored as JSON text (features, gate_checks, attrs). */
const JSON_COLUMNS: ReadonlySet<string> = new Set(EVENT_COLUMNS.filter(([, kind]) => kind === 'json').map(([name]) => name));

/**
 * Turns the JSON-text columns of query rows back into objects. Both engines store them as text
 * (DuckDB VARCHAR, ClickHouse String), and a route that passed them on as they are would answer
 * JSON inside a JSON string, which no client expects.
 */
export function parseJsonColumns<T extends Record<string, unknown>>(rows: T[]): T[] {
  return rows.map((row) => {
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(row)) {
      const v = row[key];
      if (!JSON_COLUMNS.has(key) || typeof v !== 'string') continue;
      out ??= { ...row };
      out[key] = JSON.parse(v);
    }
    return (out ?? row) as T;
  });
}
