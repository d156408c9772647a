import { open } from 'node:fs/promises';
import { Message, MessageHeader, RecordBatchReader, type Schema } from 'apache-arrow';
import { columnsOf, rowsOf, type Column } from './arrow-values.js';
import type { ByteStream } from './byte-stream.js';
import { FileReadError, type FormatReader, type RawRecord } from './types.js';

const FILE_MAGIC = Buffer.from('ARROW1\0\0');
/** A schema message larger than this is not a schema but a misread length. */
const MAX_SCHEMA_BYTES = 64 * 1024 * 1024;

/**
 * A plain file is read through a FileHandle: apache-arrow then uses the IPC file format's
 * footer to fetch one record batch at a time (handed a stream, it would buffer a file
 * whole). Counting the handle's reads gives the progress.
 */
async function openPlain(path: string): Promise<{ reader: RecordBatchReader; bytesRead(): number; close(): Promise<void> }> {
  const handle = await open(path, 'r');
  let consumed = 0;
  const counting = new Proxy(handle, {
    get(target, prop) {
      if (prop === 'read') {
        return async (buffer: Uint8Array, offset: number, length: number, position: number) => {
          const result = await target.read(buffer, offset, length, position);
          consumed += result.bytesRead;
          return result;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  try {
    const reader = await RecordBatchReader.from(counting);
    return { reader, bytesRead: () => consumed, close: () => handle.close() };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function readAtLeast(chunks: AsyncIterator<Buffer>, head: Buffer, bytes: number): Promise<Buffer> {
  while (head.length < bytes) {
    const next = await chunks.next();
    if (next.done) break;
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  return head;
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/**
 * A gzipped file can only be read forward. The IPC file format is "ARROW1", padding, the
 * stream format, then a footer, so dropping the 8-byte preamble lets the stream reader go
 * batch by batch and stop at the end-of-stream marker before the footer. That needs the
 * stream part to open with its schema message, as the format specifies; apache-arrow's
 * own JS writer leaves it out (the schema is only in the footer), and such a file is
 * refused rather than buffered whole.
 */
async function openGzipped(path: string, bytes: ByteStream): Promise<RecordBatchReader> {
  const chunks = bytes.chunks[Symbol.asyncIterator]();
  let head = await readAtLeast(chunks, Buffer.alloc(0), FILE_MAGIC.length);
  if (head.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) {
    head = await readAtLeast(chunks, head.subarray(FILE_MAGIC.length), 8);
    // current messages start with a 0xFFFFFFFF continuation marker, pre-1.0 ones do not
    const at = head.length >= 4 && head.readInt32LE(0) === -1 ? 4 : 0;
    const length = head.length >= at + 4 ? head.readInt32LE(at) : 0;
    if (length > 0 && length <= MAX_SCHEMA_BYTES) head = await readAtLeast(chunks, head, at + 4 + length);
    const isSchema =
      length > 0 &&
      head.length >= at + 4 + length &&
      Message.decode(head.subarray(at + 4, at + 4 + length)).headerType === MessageHeader.Schema;
    if (!isSchema) {
      throw new FileReadError(
        'file_unsupported',
        path,
        'this gzipped Arrow IPC file keeps its schema only in the footer, so it cannot be read ' +
          'without decompressing it whole; gunzip it first, or write the IPC stream format (.arrows.gz)',
      );
    }
  }
  return RecordBatchReader.from(prepend(head, chunks));
}

export async function openArrow(path: string, compressed: boolean, bytes: () => ByteStream): Promise<FormatReader> {
  let reader: RecordBatchReader;
  let bytesRead: () => number;
  let close: () => void | Promise<void>;
  if (compressed) {
    const stream = bytes();
    try {
      reader = await openGzipped(path, stream);
    } catch (err) {
      stream.destroy();
      throw err;
    }
    bytesRead = stream.bytesRead;
    close = stream.destroy;
  } else {
    ({ reader, bytesRead, close } = await openPlain(path));
  }
  return {
    bytesRead,
    close: async () => {
      await reader.cancel();
      await close();
    },
    async *batches(batchSize) {
      // Arrow batches rarely match batchSize, so rows are gathered across them
      let pending: RawRecord[] = [];
      let schema: Schema | undefined;
      let columns: Column[] = [];
      for await (const batch of reader) {
        if (batch.schema !== schema) {
          schema = batch.schema;
          columns = columnsOf(schema);
        }
        for (let from = 0; from < batch.numRows; ) {
          const to = Math.min(from + batchSize - pending.length, batch.numRows);
          const rows = rowsOf(columns, batch, from, to);
          pending = pending.length === 0 ? rows : pending.concat(rows);
          from = to;
          if (pending.length >= batchSize) {
            yield pending;
            pending = [];
          }
        }
      }
      if (pending.length > 0) yield pending;
    },
  };
}
