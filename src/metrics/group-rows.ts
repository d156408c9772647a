import { groupKey, type Cuts } from './cuts.js';
import type { MetricGroup } from './family.js';

/**
 * Joins several aggregate queries' rows on their group key and finishes each group's metrics.
 * Rows are keyed by the `g_*` columns, so queries over different tables line up.
 */
export function buildGroups<S extends Record<string, readonly Record<string, unknown>[]>, M>(
  cuts: Cuts,
  sources: S,
  finish: (rows: { [K in keyof S]?: S[K][number] }) => M,
): MetricGroup<M>[] {
  const byKey = new Map<string, { key: Record<string, unknown>; rows: { [K in keyof S]?: S[K][number] } }>();
  for (const [name, rows] of Object.entries(sources) as [string, S[keyof S]][]) {
    for (const row of rows) {
      const key = groupKey(row, cuts);
      const id = JSON.stringify(key);
      let entry = byKey.get(id);
      if (!entry) byKey.set(id, (entry = { key, rows: {} }));
      entry.rows[name as keyof S] = row;
    }
  }
  return [...byKey.values()]
    .sort((a, b) => compareKeys(a.key, b.key))
    .map(({ key, rows }) => ({ key, metrics: finish(rows) }));
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  for (const k of Object.keys(a)) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * A count column of a row that may be missing (no row for that group in that query): 0 then.
 * The stores hand numbers over as numbers (src/store/<engine>/rows.ts), so nothing is decoded here.
 */
export function num(row: Record<string, unknown> | undefined, column: string): number {
  const v = row?.[column];
  return typeof v === 'number' ? v : 0;
}
