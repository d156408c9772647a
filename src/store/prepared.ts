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

/** Rows as a bulk writer stages them: one line of text per row and its hash, in order. */
export interface PreparedRows {
  /** The rows' ids as stored. */
  ids: string[];
  /** The rows' lines as UTF-8, each ended by a newline (a line holds no raw newline). */
  bytes: Uint8Array;
  /** Per row, in the same order, a line of its id and hash. */
  idBytes: Uint8Array;
  /** The longest line's length in UTF-16 units. */
  longest: number;
  /** Whether no id has a UTF-16 unit from U+D800 up (the engine sorts them as JavaScript does). */
  sortsAlike: boolean;
}

/** The buffers a prepared body can hand to another thread without a copy. */
export function transferables(p: PreparedEvents): ArrayBuffer[] {
  const list = p.engine === 'duckdb' ? [p.rows.bytes.buffer, p.rows.idBytes.buffer] : [p.rows.body.buffer, p.rows.ends.buffer, p.rows.ts.buffer];
  return [...new Set(list)] as ArrayBuffer[];
}
