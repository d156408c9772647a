import type { InsertOutcome, PreparedRows, Store } from './store.js';

/**
 * A batch of validated events already serialized the way its engine takes them, so that the
 * thread which validated them (an HTTP ingest worker, src/ingest/http-prepare-pool.ts) did the
 * per-row work and the thread which writes only hands bytes over.
 */
export type PreparedEvents = { engine: 'duckdb'; rows: PreparedRows } | { engine: 'clickhouse'; rows: EncodedEvents };

/** Rows as ClickHouse's RowBinary (src/store/clickhouse/row-binary.ts) and what the duplicate lookup reads of each. */
export interface EncodedEvents {
  ids: string[];
  /** Per row: its workflow, ts (epoch ms) and type, the sort-key prefix the lookup is bounded by. */
  workflows: (string | null)[];
  ts: Float64Array;
  types: string[];
  /** The rows' RowBinary bytes; row i is ends[i-1]..ends[i]. */
  body: Uint8Array;
  ends: Uint32Array;
}

/** The ids of a prepared batch, in its order, as the engine stores them. */
export function preparedIds(p: PreparedEvents): readonly string[] {
  return p.rows.ids;
}

/** A store that takes prepared batches (both engines do); written in one transaction or insert as one group. */
export interface PreparedInsert {
  /**
   * Stores the batches' rows whose ids are not stored yet (a repeated id: its first copy), in
   * one write; resolves once they are durable, with the ids that were stored before.
   */
  insertPrepared(batches: readonly PreparedEvents[]): Promise<InsertOutcome>;
}

export function preparedInsertOf(store: Store): PreparedInsert | undefined {
  const s = store as Store & Partial<PreparedInsert>;
  return typeof s.insertPrepared === 'function' ? (s as Store & PreparedInsert) : undefined;
}
