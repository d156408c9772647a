import { availableParallelism } from 'node:os';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/** A private in-memory DuckDB used only to decode one CSV or Parquet file. */
export interface FileDecoder {
  connection: DuckDBConnection;
  close(): void;
}

export async function openFileDecoder(): Promise<FileDecoder> {
  // One JS thread consumes about 100k rows/s, which a few DuckDB threads outrun; more
  // threads would only hold more chunks waiting in file order. The memory cap keeps wide
  // Parquet row groups from taking DuckDB's default of 80% of RAM.
  const threads = String(Math.min(4, availableParallelism()));
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB', threads });
  const connection = await instance.connect();
  try {
    // TIMESTAMPTZ values are printed in the session zone; UTC gives the 'Z' form
    await connection.run("SET TimeZone = 'UTC'");
  } catch (err) {
    connection.closeSync();
    instance.closeSync();
    throw err;
  }
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The rows of `source` (a FROM item) as JSON text, one string per row, a DuckDB chunk at a
 * time. Turning rows into JSON inside DuckDB and parsing it with JSON.parse measured faster
 * (about 115k rows/s against 90k for 26 columns) than reading values through the Node API's
 * vectors, which allocate a wrapper per value. json_merge_patch onto '{}' drops null
 * members at every object level, so a NULL becomes an absent field as the contract wants;
 * nulls inside lists are kept.
 */
export async function* streamRowsAsJson(
  decoder: FileDecoder,
  source: string,
  values: Record<string, DuckDBValue>,
): AsyncGenerator<string[]> {
  const result = await decoder.connection.stream(
    `SELECT json_merge_patch('{}', to_json(t))::VARCHAR AS row_json FROM ${source} t`,
    values,
  );
  // fetchChunk runs on a worker thread: asking for the next chunk before handing out the
  // current one lets DuckDB produce while JS parses (Parquet: 84k -> 108k rows/s)
  let next = result.fetchChunk();
  try {
    for (;;) {
      const chunk = await next;
      if (!chunk || chunk.rowCount === 0) return;
      const rows = chunk.getColumnValues(0) as string[];
      next = result.fetchChunk();
      yield rows;
    }
  } finally {
    // the instance must not be closed under a fetch still in flight
    await next.catch(() => null);
  }
}
