import {
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBTimestampMillisecondsValue,
  LIST,
  TIMESTAMP_MS,
  UTINYINT,
  VARCHAR,
  listValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { EVENT_COLUMNS, type ColumnKind, type EventRow } from '../../events/row.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;

// Staging types: JSON travels as VARCHAR and timestamps as milliseconds, and the
// INSERT ... SELECT into `events` casts them, so the appender needs no conversion work.
const STAGING_TYPE: Record<ColumnKind, DuckDBType> = {
  varchar: VARCHAR,
  json: VARCHAR,
  varchar_list: LIST(VARCHAR),
  double: DOUBLE,
  tinyint: UTINYINT,
  boolean: BOOLEAN,
  timestamp: TIMESTAMP_MS,
};

const STAGING_SQL_TYPE: Record<ColumnKind, string> = {
  varchar: 'VARCHAR',
  json: 'VARCHAR',
  varchar_list: 'VARCHAR[]',
  double: 'DOUBLE',
  tinyint: 'UTINYINT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP_MS',
};

export const STAGING_TYPES: readonly DuckDBType[] = EVENT_COLUMNS.map(([, kind]) => STAGING_TYPE[kind]);

export function stagingTableDdl(name: string): string {
  const cols = EVENT_COLUMNS.map(([col, kind]) => `"${col}" ${STAGING_SQL_TYPE[kind]}`).join(', ');
  return `CREATE TEMP TABLE IF NOT EXISTS ${name} (${cols})`;
}

function toValue(kind: ColumnKind, v: unknown): DuckDBValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'timestamp':
      return new DuckDBTimestampMillisecondsValue(BigInt(v as number));
    case 'varchar_list':
      return listValue(v as string[]);
    default:
      return v as DuckDBValue;
  }
}

/** Rows to data chunks of at most CHUNK_ROWS, column by column (one pass per column). */
export function* toDataChunks(rows: readonly EventRow[]): Generator<DuckDBDataChunk> {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows.length - start);
    const chunk = DuckDBDataChunk.create(STAGING_TYPES, n);
    for (let c = 0; c < EVENT_COLUMNS.length; c++) {
      const [col, kind] = EVENT_COLUMNS[c];
      const values = new Array<DuckDBValue>(n);
      for (let i = 0; i < n; i++) values[i] = toValue(kind, rows[start + i][col]);
      chunk.setColumnValues(c, values);
    }
    yield chunk;
  }
}
