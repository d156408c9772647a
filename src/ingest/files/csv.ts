import { open } from 'node:fs/promises';
import { firstInvalidUtf8, invalidUtf8Text } from '../utf8.js';
import { openByteStream } from './byte-stream.js';
import { openFileDecoder, streamRowsAsJson } from './duckdb-rows.js';
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
 * conversion depends on its column's contract type, not on the other rows. A structurally
 * broken file (a row with the wrong number of cells) fails as a whole with DuckDB's message,
 * which names the line: a row that cannot be split has no trustworthy fields to report.
 * So does a line over DuckDB's default max_line_size of 2 MB: raising it to NDJSON's 8 MB
 * cost 150 MB more RSS for lines that validation would reject anyway (text fields stop at 64 KB).
 */
export async function openCsv(path: string, compressed: boolean, totalBytes: number): Promise<FormatReader> {
  await refuseInvalidUtf8(path, compressed);
  const contentBytes = compressed ? await gzipContentSize(path, totalBytes) : totalBytes;
  const decoder = await openFileDecoder();
  // DuckDB's own progress counter is useless for gzip (it reports 100% at once), so
  // progress is estimated from the text of the rows handed out
  let textBytes = 0;
  return {
    bytesRead: () => Math.min(totalBytes, Math.round((textBytes / contentBytes) * totalBytes)),
    close: () => decoder.close(),
    async *batches(batchSize) {
      // the dialect is fixed to RFC 4180 and skip to 0: left to its sniffer, DuckDB met a
      // malformed row near the top by taking it for the header and silently skipping the
      // rows above it, or by settling on "one column, no delimiter"
      const source =
        `read_csv($path, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"', skip = 0, ` +
        `compression = $compression)`;
      let batch: RawRecord[] = [];
      let index = 0;
      for await (const rows of streamRowsAsJson(decoder, source, { path, compression: compressed ? 'gzip' : 'none' })) {
        for (const json of rows) {
          const row = JSON.parse(json) as Record<string, string>;
          // cell text plus a delimiter each: close to the row's bytes in the file
          for (const key in row) textBytes += row[key].length + 1;
          batch.push(csvRowToRecord(row, index++));
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
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
