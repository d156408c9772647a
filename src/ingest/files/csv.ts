import { open } from 'node:fs/promises';
import { firstInvalidUtf8, invalidUtf8Text } from '../utf8.js';
import { openByteStream } from './byte-stream.js';
import type { DuckDBValue } from '@duckdb/node-api';
import { openFileDecoder, streamRowsAsJson, type FileDecoder } from './duckdb-rows.js';
import { FileReadError, UnparseableRecord, errorMessage, excerpt, type FormatReader, type RawRecord } from './types.js';

/** Contract fields that are numbers; a CSV cell is text, so these are converted when they look numeric. */
const NUMBER_FIELDS: ReadonlySet<string> = new Set(['tier', 'confidence', 'sampling_rate', 'level', 'from_level', 'to_level']);
/** Contract fields that are lists or objects, written as JSON text in their cell. */
const JSON_FIELDS: ReadonlySet<string> = new Set(['risk_signals', 'rule_ids', 'features', 'gate', 'attrs']);
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One CSV row (every cell text, empty cells already dropped) as a contract-shaped record.
 * A cell that does not look like its field's type is left as text, so that validation,
 * not this reader, reports the field and the expected type.
 */
export function csvRowToRecord(row: Record<string, string>, index: number): RawRecord {
  const record: Record<string, unknown> = {};
  for (const key in row) {
    const cell = row[key];
    if (cell === '') continue;
    if (NUMBER_FIELDS.has(key)) {
      const trimmed = cell.trim();
      record[key] = NUMERIC.test(trimmed) ? Number(trimmed) : cell;
    } else if (key === 'sampled') {
      const lower = cell.trim().toLowerCase();
      record[key] = lower === 'true' ? true : lower === 'false' ? false : cell;
    } else if (JSON_FIELDS.has(key)) {
      try {
        record[key] = JSON.parse(cell);
      } catch (err) {
        return new UnparseableRecord(`data row ${index + 1}, column ${key}: not valid JSON (${errorMessage(err)})`, excerpt(cell));
      }
    } else {
      record[key] = cell;
    }
  }
  return record;
}

/**
 * The uncompressed size a gzip file records in its last four bytes. It is only the size
 * modulo 4 GiB, so past that the progress estimate runs ahead and then waits at the end.
 */
async function gzipContentSize(path: string, fileSize: number): Promise<number> {
  if (fileSize < 4) return fileSize;
  const handle = await open(path, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(4), 0, 4, fileSize - 4);
    return Math.max(buffer.readUInt32LE(0), fileSize);
  } finally {
    await handle.close();
  }
}

/**
 * Reads CSV (RFC 4180: comma, double quotes, a header row of field names) through DuckDB's
 * streaming reader: quoting, multi-line cells and gzip are handled there, and a streamed
 * query keeps memory bounded. all_varchar stops DuckDB from guessing types, so a cell's
 * conversion depends on its column's contract type, not on the other rows. A row DuckDB cannot
 * split (the wrong number of cells, an unclosed quote, a line over its default max_line_size
 * of 2 MB) is rejected alone with its line, in its place in the file: a first pass collects
 * those rows (DuckDB's store_rejects), the second streams the others and puts the rejected
 * ones back between them. Raising max_line_size to NDJSON's 8 MB cost 150 MB more RSS for lines
 * that validation would reject anyway (text fields stop at 64 KB).
 */
export async function openCsv(path: string, compressed: boolean, totalBytes: number): Promise<FormatReader> {
  await refuseInvalidUtf8(path, compressed);
  const contentBytes = compressed ? await gzipContentSize(path, totalBytes) : totalBytes;
  const decoder = await openFileDecoder();
  // DuckDB's own progress counter is useless for gzip (it reports 100% at once), so
  // progress is estimated from the text of the rows handed out
  let textBytes = 0;
  // the dialect is fixed to RFC 4180 and skip to 0: left to its sniffer, DuckDB met a
  // malformed row near the top by taking it for the header and silently skipping the
  // rows above it, or by settling on "one column, no delimiter"
  const source = (errors: string) =>
    `read_csv($path, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"', skip = 0, ` +
    `compression = $compression, ${errors})`;
  const values = { path, compression: compressed ? 'gzip' : 'none' };
  let rejects: Reject[];
  try {
    rejects = await badRows(decoder, source('store_rejects = true'), values);
  } catch (err) {
    decoder.close();
    throw err;
  }
  return {
    bytesRead: () => Math.min(totalBytes, Math.round((textBytes / contentBytes) * totalBytes)),
    close: () => decoder.close(),
    async *batches(batchSize) {
      let batch: RawRecord[] = [];
      let index = 0;
      // DuckDB numbers rows, not lines: the line is counted here, a multi-line cell included
      let line = 2;
      let next = 0;
      const putRejectsBack = () => {
        // DuckDB's "line" is the row's number counting the header as 1
        while (next < rejects.length && rejects[next].row === index + 2) {
          const r = rejects[next++];
          batch.push(new UnparseableRecord(`line ${line}: ${r.message}; the row is rejected, the others are read`, excerpt(r.text)));
          line += 1 + newlines(r.text);
          index++;
        }
      };
      for await (const rows of streamRowsAsJson(decoder, source('ignore_errors = true'), values)) {
        for (const json of rows) {
          putRejectsBack();
          const row = JSON.parse(json) as Record<string, string>;
          // cell text plus a delimiter each: close to the row's bytes in the file
          for (const key in row) textBytes += row[key].length + 1;
          batch.push(csvRowToRecord(row, index++));
          if (json.includes('\\n')) for (const key in row) line += newlines(row[key]);
          line++;
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      putRejectsBack();
      // rejects DuckDB numbered past the last good row (several at the end of the file)
      while (next < rejects.length) {
        index = rejects[next].row - 2;
        putRejectsBack();
      }
      if (batch.length > 0) yield batch;
    },
  };
}

interface Reject {
  /** DuckDB's line number: the row's position, the header being 1. */
  row: number;
  message: string;
  text: string;
}

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The rows DuckDB could not split, in file order, each with DuckDB's reason in the contract's words. */
async function badRows(decoder: FileDecoder, source: string, values: Record<string, DuckDBValue>): Promise<Reject[]> {
  await decoder.connection.run(`SELECT count(*) FROM ${source}`, values);
  const result = await decoder.connection.runAndReadAll(
    `SELECT line::DOUBLE AS row, arg_min(error_type, column_idx) AS type, arg_min(error_message, column_idx) AS message,
            arg_min(coalesce(csv_line, ''), column_idx) AS text
       FROM reject_errors GROUP BY line ORDER BY line`,
  );
  return result.getRowObjectsJS().map((r) => ({ row: Number(r.row), message: rejectMessage(String(r.type), String(r.message)), text: String(r.text) }));
}

function rejectMessage(type: string, message: string): string {
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  // DuckDB stops counting at the first cell too many, so only a short row's count is exact
  if (counts && type === 'TOO MANY COLUMNS') return `the row has more cells than the header's ${counts[1]}`;
  if (counts && type === 'MISSING COLUMNS') return `the row has ${counts[2]} cell${counts[2] === '1' ? '' : 's'} where the header has ${counts[1]}`;
  return `cannot be read as CSV (${message.split('\n')[0]})`;
}

/**
 * DuckDB stops at the first byte that is not UTF-8 with a message naming the wrong line, after
 * the rows before it were already handed out and stored. A row whose text is not UTF-8 cannot be
 * split into trustworthy cells either, so the file is refused before any row is read, naming
 * the byte and the line; nothing is repaired. Checking costs one more read of the file.
 */
async function refuseInvalidUtf8(path: string, compressed: boolean): Promise<void> {
  const bytes = openByteStream(path, compressed);
  let bad: Awaited<ReturnType<typeof firstInvalidUtf8>>;
  try {
    bad = await firstInvalidUtf8(bytes.chunks);
  } finally {
    bytes.destroy();
  }
  if (bad) {
    const where = `the file${compressed ? ' (after gunzip)' : ''}, line ${bad.line}`;
    throw new FileReadError('file_read_failed', path, `not UTF-8: ${invalidUtf8Text(bad.offset, where)}; no row of it was stored`);
  }
}
