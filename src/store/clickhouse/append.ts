import { createHash } from 'node:crypto';
import { EVENT_COLUMNS, type EventRow } from '../../events/row.js';

/** The insert's column list, in EVENT_COLUMNS order (the table's MATERIALIZED column is left out). */
export const INSERT_COLUMNS: readonly string[] = EVENT_COLUMNS.map(([col]) => col);

const KEYS = EVENT_COLUMNS.map(([col]) => col);

/**
 * Rows as JSONCompactEachRow arrays. Compact rows skip per-row key matching in ClickHouse's parser
 * and the row objects need no conversion: an integer for a DateTime64(3) column is read as
 * milliseconds since the epoch (exactly EventRow's ts and received_at), lists are JSON arrays
 * (null reads as [] since ClickHouse has no Nullable(Array)), and JSON columns travel as text.
 */
export function toCompactRows(rows: readonly EventRow[]): unknown[][] {
  const out = new Array<unknown[]>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const values = new Array<unknown>(KEYS.length);
    for (let c = 0; c < KEYS.length; c++) values[c] = row[KEYS[c]];
    out[i] = values;
  }
  return out;
}

/**
 * insert_deduplication_token for one batch: a hash of its ids and arrival times. A retry of the
 * same insert sends the same token, so ClickHouse drops the copy if the first attempt landed
 * after all. Arrival times make a later, genuinely new insert of the same ids (after a TTL or a
 * manual delete removed them) a different token, so it is not silently dropped.
 */
export function dedupToken(rows: readonly EventRow[]): string {
  const hash = createHash('sha256');
  for (const r of rows) hash.update(`${r.event_id}\u0000${r.received_at}\n`);
  return `loopwatch-${hash.digest('hex')}`;
}
