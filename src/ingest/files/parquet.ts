import { openFileDecoder, quoteIdentifier, streamRowsAsJson, type FileDecoder } from './duckdb-rows.js';
import { UnparseableRecord, errorMessage, excerpt, type FormatReader, type RawRecord } from './types.js';

/** TIMESTAMP, TIMESTAMP_S/_MS/_NS and TIMESTAMP WITH TIME ZONE, not lists or structs of them. */
const TIMESTAMP_TYPE = /^TIMESTAMP(?:_S|_MS|_NS| WITH TIME ZONE)?$/;

/**
 * The select list that turns top-level timestamp columns into RFC 3339 text with a 'Z'
 * (to_json would print '2026-11-20 10:00:00', which the contract rejects). A TIMESTAMP
 * without a zone is taken as UTC, as Parquet writers of event logs use it. Precision is
 * milliseconds, the store's precision.
 */
async function selectList(decoder: FileDecoder, path: string): Promise<string> {
  const described = await decoder.connection.runAndReadAll('DESCRIBE SELECT * FROM read_parquet($path)', { path });
  const replaced = described
    .getRowObjectsJS()
    .filter((c) => TIMESTAMP_TYPE.test(String(c.column_type)))
    .map((c) => {
      const column = quoteIdentifier(String(c.column_name));
      return `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${column}`;
    });
  return replaced.length === 0 ? '*' : `* REPLACE (${replaced.join(', ')})`;
}

async function rowCount(decoder: FileDecoder, path: string): Promise<number> {
  const reader = await decoder.connection.runAndReadAll(
    'SELECT coalesce(sum(num_rows), 0)::DOUBLE AS n FROM parquet_file_metadata($path)',
    { path },
  );
  return Number(reader.getRowObjectsJS()[0]?.n ?? 0);
}

function parseRow(json: string, index: number): RawRecord {
  try {
    return JSON.parse(json);
  } catch (err) {
    // DuckDB writes NaN and Infinity doubles bare, which is not JSON
    return new UnparseableRecord(`row ${index + 1}: not valid JSON (${errorMessage(err)})`, excerpt(json));
  }
}

/**
 * Reads Parquet through DuckDB, streamed a chunk at a time, with the conversions of
 * streamRowsAsJson: lists become arrays, structs and maps objects, JSON columns parsed
 * values, integers numbers (beyond 2^53 they lose precision), NULL an absent field.
 * Timestamps nested inside structs or lists keep DuckDB's text form.
 */
export async function openParquet(path: string, totalBytes: number): Promise<FormatReader> {
  const decoder = await openFileDecoder();
  let totalRows: number;
  let columns: string;
  try {
    totalRows = await rowCount(decoder, path);
    columns = await selectList(decoder, path);
  } catch (err) {
    decoder.close();
    throw err;
  }
  let rowsDone = 0;
  return {
    // Parquet is read column by column, so rows handed out are the only honest measure
    bytesRead: () => (totalRows === 0 ? 0 : Math.round((rowsDone / totalRows) * totalBytes)),
    close: () => decoder.close(),
    async *batches(batchSize) {
      const source = `(SELECT ${columns} FROM read_parquet($path))`;
      let batch: RawRecord[] = [];
      let index = 0;
      for await (const rows of streamRowsAsJson(decoder, source, { path })) {
        for (const json of rows) {
          batch.push(parseRow(json, index++));
          if (batch.length >= batchSize) {
            rowsDone += batch.length;
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) {
        rowsDone += batch.length;
        yield batch;
      }
    },
  };
}
