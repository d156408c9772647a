import type { EventRow } from '../events/row.js';

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/**
 * An event id as both engines store it: they keep UTF-8, where a lone surrogate becomes U+FFFD.
 * The duplicate lookups, ClickHouse's id gate and the chain links use this form, so that a retry
 * of such an event finds it stored (on DuckDB it was counted as accepted again) and its link
 * names the row as stored (on ClickHouse the JSON of a link with a lone surrogate was refused,
 * and the batch failed on every retry).
 */
export function storedId(id: string): string {
  const s = id as unknown as WellFormed;
  return s.isWellFormed() ? id : s.toWellFormed();
}

/** The rows' ids, as the caller has them, whose stored form is among `stored`. */
export function duplicatesAsGiven(rows: readonly EventRow[], stored: ReadonlySet<string>): ReadonlySet<string> {
  if (stored.size === 0) return stored;
  return new Set(rows.filter((r) => stored.has(storedId(r.event_id))).map((r) => r.event_id));
}
