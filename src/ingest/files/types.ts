import { LoopwatchError } from '../../errors.js';
import { UnparseableRecord } from '../unparseable.js';

/**
 * Whole NDJSON lines as the file's bytes, not decoded (ndjson.ts, ndjsonBlocks): the thread that
 * reads the file only finds where lines end and copies bytes, and whoever takes the block (a
 * worker thread, or ndjsonBatches) decodes and parses it with blockRecords. Decoding in the
 * reading thread and sending each line's string to a worker cost ~3.5 µs per event there and a
 * copy of every line in the C heap (issue 14).
 */
export interface NdjsonBlock {
  /** Lines, each ended by a newline except perhaps the file's last one; may be empty. */
  bytes: Uint8Array;
  /** The 1-based line number of the first line in `bytes`. */
  firstLineNo: number;
  /** Offset in the (decompressed) file of bytes[0], for the invalid UTF-8 message. */
  offset: number;
  /** The line right after these was longer than MAX_RECORD_BYTES: its length (its bytes were dropped). */
  oversizedBytes?: number;
}

// One class for HTTP bodies and files: ingestBatch recognises it with instanceof, so a
// second class of the same shape here would turn unparseable records into "valid" objects.
export { UnparseableRecord };

export type FileFormat = 'ndjson' | 'json' | 'csv' | 'parquet' | 'arrow';

export type RawRecord = unknown | UnparseableRecord;

/** A line's event, or why it is not JSON: the same answer wherever the line is parsed. */
export function parseJsonLine(text: string, lineNo: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return new UnparseableRecord(`line ${lineNo}: not valid JSON (${errorMessage(err)})`, excerpt(text));
  }
}

export interface RecordSource {
  format: FileFormat;
  /** gzip */
  compressed: boolean;
  /** Size of the file on disk (for the progress bar). */
  totalBytes: number;
  /** Compressed bytes consumed so far; an estimate for csv, parquet and arrow. Reaches totalBytes at the end. */
  bytesRead(): number;
  /** Records in file order, in arrays of at most `batchSize`. Index of a record = its 0-based position in the file (blank NDJSON lines are skipped and do not count). */
  batches(batchSize: number): AsyncIterable<RawRecord[]>;
  /**
   * NDJSON only: the lines as bytes in blocks of about `targetBytes` (ndjson.ts), for a worker
   * thread to decode and parse. Either this or batches(), once.
   */
  blocks?(targetBytes: number, take?: (bytes: number) => Uint8Array): AsyncIterable<NdjsonBlock>;
  close(): Promise<void>;
}

export type FileReadErrorCode = 'file_not_found' | 'file_format_unknown' | 'file_unsupported' | 'file_read_failed';

/**
 * The file as a whole cannot be read (missing, unknown or unsupported format, corrupt gzip,
 * CSV the reader cannot open). Single bad records (a CSV row with the wrong number of cells too) never raise this; they arrive as UnparseableRecord.
 */
export class FileReadError extends LoopwatchError {
  declare readonly code: FileReadErrorCode;
  constructor(
    code: FileReadErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${path}: ${message}`, options);
    this.name = 'FileReadError';
  }
}

export { MAX_RECORD_BYTES } from '../../config/defaults.js';

/** How much of an unparseable record is kept for the rejection report. */
export const RAW_EXCERPT_CHARS = 1024;

export function excerpt(text: string): string {
  return text.length <= RAW_EXCERPT_CHARS ? text : `${text.slice(0, RAW_EXCERPT_CHARS)}…`;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What each format module provides; index.ts adds the checks and bookkeeping they share. */
export interface FormatReader {
  batches(batchSize: number): AsyncGenerator<RawRecord[]>;
  blocks?(targetBytes: number, take?: (bytes: number) => Uint8Array): AsyncGenerator<NdjsonBlock>;
  bytesRead(): number;
  close(): void | Promise<void>;
}
