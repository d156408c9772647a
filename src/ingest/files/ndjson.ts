import { invalidUtf8Offset, invalidUtf8Text } from '../utf8.js';
import { JsonLine, MAX_RECORD_BYTES, UnparseableRecord, parseJsonLine, type RawRecord } from './types.js';

const NEWLINE = 0x0a;

/**
 * Splits NDJSON bytes into parsed records, `batchSize` at a time (`rawLines`: into JsonLines
 * that a worker thread parses).
 *
 * Each chunk is decoded to text once, up to its last newline, and split with
 * `String.indexOf`: measured at about 2.2 M lines/s against 0.9 M for `readline`, so
 * JSON.parse is the only real cost. Only a line that straddles chunks is copied.
 * Memory holds one chunk, one partial line (at most MAX_RECORD_BYTES) and one batch;
 * the generator suspends at each yield, so a slow consumer pauses the file stream. Nothing
 * refers to a chunk once the next one is asked for (a partial line is a copy): the file can
 * come through one buffer (openReusedByteStream).
 */
export async function* ndjsonBatches(chunks: AsyncIterable<Buffer>, batchSize: number, rawLines = false): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  let lineNo = 0;
  // a line that started in an earlier chunk
  let partial: Buffer[] = [];
  let partialBytes = 0;
  // the current line passed MAX_RECORD_BYTES: drop its bytes until its newline
  let oversized = false;
  // file offset (of the decompressed text) of the current chunk's first byte and of the partial line
  let base = 0;
  let partialStart = 0;

  const addLine = (line: string): void => {
    lineNo++;
    const first = line.charCodeAt(0);
    if (line.length === 0) return;
    // whitespace-only lines are blank; only look when the line starts with whitespace
    if (first <= 0x20 && line.trim().length === 0) return;
    if (lineNo === 1 && first === 0xfeff) line = line.slice(1);
    batch.push(rawLines ? new JsonLine(line, lineNo) : parseJsonLine(line, lineNo));
  };
  // bytes that are not UTF-8 reject their line, never repaired; checked per line only once a chunk failed the check
  const addLineBytes = (bytes: Buffer, from: number, to: number, offset: number): void => {
    const bad = invalidUtf8Offset(bytes, from, to);
    if (bad < 0) return addLine(bytes.toString('utf8', from, to));
    lineNo++;
    batch.push(new UnparseableRecord(`line ${lineNo}: ${invalidUtf8Text(offset + bad, `the file (byte ${bad} of the line)`)}`));
  };
  const addOversized = (bytes: number): void => {
    lineNo++;
    const mb = (bytes / 1024 / 1024).toFixed(1);
    batch.push(new UnparseableRecord(`line ${lineNo}: line is ${mb} MB, over the ${MAX_RECORD_BYTES / 1024 / 1024} MB limit for one event`));
  };

  for await (const chunk of chunks) {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      if (partialBytes === 0 && !oversized) partialStart = base;
      partialBytes += chunk.length;
      if (partialBytes > MAX_RECORD_BYTES) {
        oversized = true;
        partial = [];
      } else if (!oversized) {
        partial.push(Buffer.from(chunk));
      }
      base += chunk.length;
      continue;
    }

    let start = 0;
    if (partialBytes > 0 || oversized) {
      const end = chunk.indexOf(NEWLINE);
      const bytes = partialBytes + end;
      if (oversized || bytes > MAX_RECORD_BYTES) addOversized(bytes);
      else addLineBytes(Buffer.concat([...partial, chunk.subarray(0, end)]), 0, bytes, partialStart);
      partial = [];
      partialBytes = 0;
      oversized = false;
      start = end + 1;
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }

    if (start <= last && invalidUtf8Offset(chunk, start, last) >= 0) {
      for (let from = start; from <= last; ) {
        const to = chunk.indexOf(NEWLINE, from);
        addLineBytes(chunk, from, to, base + from);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
        from = to + 1;
      }
    } else if (start <= last) {
      // `last` is a newline, so every line in [start, last) is complete and the text ends
      // with the last of them; multi-byte characters never straddle a newline byte
      const text = chunk.toString('utf8', start, last);
      let from = 0;
      for (;;) {
        const to = text.indexOf('\n', from);
        addLine(to < 0 ? text.slice(from) : text.slice(from, to));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
        if (to < 0) break;
        from = to + 1;
      }
    }

    if (last + 1 < chunk.length) {
      partial = [Buffer.from(chunk.subarray(last + 1))];
      partialBytes = chunk.length - last - 1;
      partialStart = base + last + 1;
    }
    base += chunk.length;
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }

  // a final line without a trailing newline
  if (oversized) addOversized(partialBytes);
  else if (partialBytes > 0) addLineBytes(Buffer.concat(partial), 0, partialBytes, partialStart);
  if (batch.length > 0) yield batch;
}
