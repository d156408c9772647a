import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { openArrow } from './arrow.js';
import { openByteStream, openReusedByteStream } from './byte-stream.js';
import { openCsv } from './csv.js';
import { jsonBatches } from './json.js';
import { ndjsonBatches, ndjsonBlocks, type NdjsonBlock } from './ndjson.js';
import { openParquet } from './parquet.js';
import { FileReadError, errorMessage, type FileFormat, type FormatReader, type RawRecord, type RecordSource } from './types.js';

export { FileReadError, UnparseableRecord, MAX_RECORD_BYTES, parseJsonLine } from './types.js';
export type { FileFormat, FileReadErrorCode, RawRecord, RecordSource } from './types.js';

const FORMATS: readonly FileFormat[] = ['ndjson', 'json', 'csv', 'parquet', 'arrow'];

const EXTENSIONS: Readonly<Record<string, FileFormat>> = {
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  json: 'json',
  csv: 'csv',
  parquet: 'parquet',
  arrow: 'arrow',
  arrows: 'arrow',
  ipc: 'arrow',
  feather: 'arrow',
};

/** format from --format or else from the extension: .ndjson/.jsonl, .json, .csv, .parquet, .arrow/.arrows/.ipc/.feather; each optionally + .gz (not .parquet.gz). */
export function detectFormat(path: string, explicit?: string): { format: FileFormat; compressed: boolean } {
  const name = basename(path).toLowerCase();
  const compressed = name.endsWith('.gz');
  const stem = compressed ? name.slice(0, -3) : name;
  let format: FileFormat | undefined;
  if (explicit !== undefined) {
    format = FORMATS.find((f) => f === explicit.toLowerCase());
    if (!format) {
      throw new FileReadError('file_format_unknown', path, `unknown format ${JSON.stringify(explicit)}; expected one of ${FORMATS.join(', ')}`);
    }
  } else {
    const dot = stem.lastIndexOf('.');
    format = dot < 0 ? undefined : EXTENSIONS[stem.slice(dot + 1)];
    if (!format) {
      throw new FileReadError(
        'file_format_unknown',
        path,
        `cannot tell the format from the file name; expected ${Object.keys(EXTENSIONS).map((e) => `.${e}`).join(', ')} ` +
          `(optionally followed by .gz), or name the format with --format ${FORMATS.join('|')}`,
      );
    }
  }
  if (format === 'parquet' && compressed) {
    throw new FileReadError(
      'file_unsupported',
      path,
      'gzipped Parquet is not supported: Parquet compresses its pages itself, so gunzip the file and ingest the .parquet',
    );
  }
  return { format, compressed };
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FileReadError('file_not_found', path, 'not a regular file');
    return info.size;
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    throw new FileReadError('file_not_found', path, `cannot open: ${errorMessage(err)}`, { cause: err });
  }
}

async function openReader(path: string, format: FileFormat, compressed: boolean, totalBytes: number): Promise<FormatReader> {
  switch (format) {
    case 'ndjson':
    case 'json': {
      // NDJSON copies what it keeps of a chunk: it can take the chunks in one buffer read again and again
      const bytes = format === 'ndjson' && !compressed ? openReusedByteStream(path) : openByteStream(path, compressed);
      const batches = (n: number) => (format === 'ndjson' ? ndjsonBatches(bytes.chunks, n) : jsonBatches(bytes.chunks, n));
      const blocks = format === 'ndjson' ? (target: number, take?: (n: number) => Uint8Array) => ndjsonBlocks(bytes.chunks, target, take) : undefined;
      return { batches, blocks, bytesRead: bytes.bytesRead, close: bytes.destroy };
    }
    case 'csv':
      return openCsv(path, compressed, totalBytes);
    case 'parquet':
      return openParquet(path, totalBytes);
    case 'arrow':
      return openArrow(path, compressed, () => openByteStream(path, compressed));
  }
}

/**
 * Opens a file of events for streaming. Every format is read in memory bounded by a chunk
 * (or one Arrow record batch / Parquet row group) plus one batch of records, whatever the
 * file size. Bad records arrive as UnparseableRecord; a file that cannot be read at all
 * raises FileReadError, from here or from the batch iterator.
 */
export async function openRecordSource(path: string, options: { format?: FileFormat } = {}): Promise<RecordSource> {
  const { format, compressed } = detectFormat(path, options.format);
  const totalBytes = await fileSize(path);
  const describe = `${format}${compressed ? ' (gzip)' : ''}`;
  // DuckDB's CSV errors run to a dozen lines of hints; the first two say what and where
  const readFailed = (err: unknown) =>
    err instanceof FileReadError
      ? err
      : new FileReadError('file_read_failed', path, `cannot read as ${describe}: ${errorMessage(err).split('\n').slice(0, 2).join(' ')}`, {
          cause: err,
        });

  let reader: FormatReader;
  try {
    reader = await openReader(path, format, compressed, totalBytes);
  } catch (err) {
    throw readFailed(err);
  }
  let started = false;
  let finished = false;
  let released = false;
  let active: AsyncGenerator<unknown> | undefined;
  const release = async () => {
    if (released) return;
    released = true;
    await reader.close();
  };

  async function* read<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
    try {
      for await (const item of items) yield item;
      finished = true;
    } catch (err) {
      throw readFailed(err);
    } finally {
      // stopping early (break, error) must release the file and any DuckDB instance too
      active = undefined;
      await release();
    }
  }

  const start = <T>(items: T): T => {
    if (started) throw new Error(`${path}: a source's records can be iterated only once; open the file again`);
    started = true;
    return items;
  };

  // closing mid-iteration first ends the iteration, so that a DuckDB fetch still in flight
  // finishes before its instance is closed under it
  const close = async () => {
    await active?.return(undefined);
    await release();
  };

  return {
    format,
    compressed,
    totalBytes,
    // readers estimate; at the end the bar must show the whole file even if a footer or
    // gzip trailer was never read
    bytesRead: () => (finished ? totalBytes : Math.min(totalBytes, reader.bytesRead())),
    batches(batchSize: number) {
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
      }
      const batches = read(start(reader.batches(batchSize)));
      active = batches;
      return batches;
    },
    blocks: reader.blocks
      ? (targetBytes, take) => {
          const blocks = read(start(reader.blocks!(targetBytes, take)));
          active = blocks;
          return blocks;
        }
      : undefined,
    close,
  };
}
