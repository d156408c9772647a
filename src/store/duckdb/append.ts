import { BOOLEAN, DOUBLE, DuckDBDataChunk, LIST, UTINYINT, VARCHAR, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { EVENT_COLUMNS, type ColumnKind, type EventRow } from '../../events/row.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;

// Staging types: timestamps travel as epoch milliseconds in a DOUBLE (exact below 2^53) and
// the INSERT ... SELECT turns them into TIMESTAMPs: a number is copied into the vector in bulk,
// where a timestamp value would cost a BigInt and an object per row.
const STAGING_TYPE: Record<ColumnKind, DuckDBType> = {
  varchar: VARCHAR,
  json: VARCHAR,
  varchar_list: LIST(VARCHAR),
  double: DOUBLE,
  tinyint: UTINYINT,
  boolean: BOOLEAN,
  timestamp: DOUBLE,
};

const STAGING_SQL_TYPE: Record<ColumnKind, string> = {
  varchar: 'VARCHAR',
  json: 'VARCHAR',
  varchar_list: 'VARCHAR[]',
  double: 'DOUBLE',
  tinyint: 'UTINYINT',
  boolean: 'BOOLEAN',
  timestamp: 'DOUBLE',
};

export const STAGING_TYPES: readonly DuckDBType[] = EVENT_COLUMNS.map(([, kind]) => STAGING_TYPE[kind]);

export function stagingTableDdl(name: string): string {
  const cols = EVENT_COLUMNS.map(([col, kind]) => `"${col}" ${STAGING_SQL_TYPE[kind]}`).join(', ');
  return `CREATE TEMP TABLE IF NOT EXISTS ${name} (${cols})`;
}

/** The SELECT list that moves staging rows into `events`, converting the staged encodings. */
export function stagingSelectList(): string {
  return EVENT_COLUMNS.map(([col, kind]) =>
    kind === 'timestamp' ? `make_timestamp(CAST("${col}" * 1000 AS BIGINT)) AS "${col}"` : `"${col}"`,
  ).join(', ');
}

/** Rows to data chunks of at most CHUNK_ROWS, column by column (one pass per column). */
export function* toDataChunks(rows: readonly EventRow[]): Generator<DuckDBDataChunk> {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows.length - start);
    const chunk = DuckDBDataChunk.create(STAGING_TYPES, n);
    const values = new Array<DuckDBValue>(n);
    for (let c = 0; c < EVENT_COLUMNS.length; c++) {
      const [col, kind] = EVENT_COLUMNS[c];
      if (kind === 'varchar_list') {
        for (let i = 0; i < n; i++) {
          const v = rows[start + i][col] as string[] | null;
          values[i] = v === null ? null : listValue(v);
        }
      } else {
        for (let i = 0; i < n; i++) values[i] = rows[start + i][col] as DuckDBValue;
      }
      chunk.setColumnValues(c, values);
    }
    yield chunk;
  }
}
