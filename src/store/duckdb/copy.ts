import { realpath } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { EVENT_COLUMNS } from '../../events/row.js';
import { LoopwatchError } from '../../errors.js';
import type { CopySource, Snapshot } from '../store.js';

// Timestamps as TIMESTAMP_MS (what a DateTime64(3) reads without conversion), lists never NULL
// (ClickHouse has no Nullable(Array)), JSON as the text it is stored as.
const SELECT_LIST = EVENT_COLUMNS.map(([col, kind]) => {
  if (kind === 'timestamp') return `"${col}"::TIMESTAMP_MS AS "${col}"`;
  if (kind === 'varchar_list') return `coalesce("${col}", []::VARCHAR[]) AS "${col}"`;
  return `"${col}"`;
}).join(', ');

/**
 * A DuckDB file as the source of `loopwatch copy` (src/store/copy.ts), opened read-only. Chunks
 * are ranges of DuckDB's rowid: the events table is append-only, so a rowid names the same event
 * for the life of the file, new events get higher rowids, and a range is a cheap scan of its own
 * row groups.
 */
export async function openCopySource(file: string): Promise<CopySource> {
  const id = `duckdb:${await realpath(file)}`;
  const instance = await openReadOnly(file);
  let conn: DuckDBConnection;
  try {
    conn = await instance.connect();
  } catch (err) {
    instance.closeSync();
    throw err;
  }
  return {
    id,
    readSnapshot: () => readSnapshot(conn),
    exportChunk: (target, lo, hi) => exportChunk(conn, target, lo, hi),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

async function openReadOnly(file: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  } catch (err) {
    throw new LoopwatchError(
      'copy_source_unavailable',
      `cannot open ${file} read-only; if a loopwatch server is using it, stop that server first`,
      { cause: err },
    );
  }
}

async function readSnapshot(conn: DuckDBConnection): Promise<Snapshot> {
  const r = await conn.runAndReadAll(
    `SELECT count(*)::DOUBLE AS total, coalesce(max(rowid) + 1, 0)::DOUBLE AS "end",
            coalesce(arg_min(event_id, rowid), '') AS origin
     FROM events`,
  );
  const [row] = r.getRowObjectsJS() as { total: number; end: number; origin: string }[];
  return { total: Number(row.total), end: Number(row.end), origin: row.origin };
}

/** Writes rows [lo, hi) of the events table as Parquet; returns how many there were. */
async function exportChunk(conn: DuckDBConnection, file: string, lo: number, hi: number): Promise<number> {
  // COPY takes no parameter for its target: the path is ours (mkdtemp), quoted as a literal
  const target = `'${file.replaceAll("'", "''")}'`;
  const r = await conn.runAndReadAll(
    `COPY (SELECT ${SELECT_LIST} FROM events WHERE rowid >= $lo AND rowid < $hi) TO ${target} (FORMAT parquet, COMPRESSION lz4_raw)`,
    { lo: BigInt(lo), hi: BigInt(hi) },
  );
  return Number((r.getRowObjectsJS()[0] as { Count: bigint }).Count);
}
