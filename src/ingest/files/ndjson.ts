import { invalidUtf8Offset, invalidUtf8Text } from '../utf8.js';
import { MAX_RECORD_BYTES, UnparseableRecord, parseJsonLine, type NdjsonBlock, type RawRecord } from './types.js';

export type { NdjsonBlock };

const NEWLINE = 0x0a;

/**
 * Splits NDJSON bytes into blocks of whole lines of about `targetBytes` (a longer line makes a
 * longer block). `take(n)` gives a buffer of at least n bytes for the next block (a block's
 * buffer is the taker's once yielded: it may hand it back for reuse). Memory holds one block
 * and at most one line (MAX_RECORD_BYTES) besides; a line over that is dropped as it streams.
 * Nothing refers to a chunk once the next one is asked for: the file can come through one
 * buffer (openReusedByteStream).
 */
export async function* ndjsonBlocks(
  chunks: AsyncIterable<Uint8Array>,
  targetBytes: number,
  take: (bytes: number) => Uint8Array = (n) => new Uint8Array(n),
): AsyncGenerator<NdjsonBlock> {
  let buf = take(targetBytes);
  let len = 0;
  // start (in buf) of the line not ended yet; buf[0, lineStart) is whole lines
  let lineStart = 0;
  let firstLineNo = 1;
  // file offset of buf[0], and of the chunk being read
  let offset = 0;
  let base = 0;
  // the line not ended yet passed MAX_RECORD_BYTES: its bytes so far (dropped)
  let oversized = -1;

  const countLines = (to: number): number => {
    let n = 0;
    for (let i = buf.indexOf(NEWLINE); i >= 0 && i < to; i = buf.indexOf(NEWLINE, i + 1)) n++;
    return n;
  };
  // buf[0, lineStart) out as a block, the rest of the line not ended yet into a new buffer
  const cut = (oversizedBytes?: number): NdjsonBlock => {
    const block: NdjsonBlock = { bytes: buf.subarray(0, lineStart), firstLineNo, offset };
    if (oversizedBytes !== undefined) block.oversizedBytes = oversizedBytes;
    firstLineNo += countLines(lineStart) + (oversizedBytes === undefined ? 0 : 1);
    const rest = len - lineStart;
    const next = take(Math.max(targetBytes, rest));
    if (rest > 0) next.set(buf.subarray(lineStart, len));
    offset += lineStart;
    buf = next;
    len = rest;
    lineStart = 0;
    return block;
  };
  const append = (chunk: Uint8Array, from: number): void => {
    const n = chunk.length - from;
    if (len + n > buf.length) {
      const grown = take(Math.max(2 * buf.length, len + n));
      grown.set(buf.subarray(0, len));
      buf = grown;
    }
    buf.set(from === 0 ? chunk : chunk.subarray(from), len);
    len += n;
  };

  for await (const chunk of chunks) {
    let from = 0;
    if (oversized >= 0 || len > lineStart) {
      // a line begun in an earlier chunk: is it over the limit, once ended or still going?
      const end = chunk.indexOf(NEWLINE);
      const lineBytes = (oversized >= 0 ? oversized : len - lineStart) + (end < 0 ? chunk.length : end);
      if (lineBytes > MAX_RECORD_BYTES) {
        len = lineStart;
        if (end < 0) {
          oversized = lineBytes;
          base += chunk.length;
          continue;
        }
        oversized = -1;
        const block = cut(lineBytes);
        offset = base + end + 1;
        yield block;
        from = end + 1;
      }
    }
    const last = chunk.lastIndexOf(NEWLINE);
    // whole lines ready and no room for this chunk: they go first, so that buf need not grow
    if (len + chunk.length - from > buf.length && lineStart > 0) yield cut();
    const at = len;
    append(chunk, from);
    if (last >= from) lineStart = at + last - from + 1;
    base += chunk.length;
    if (lineStart >= targetBytes) yield cut();
  }
  if (oversized >= 0) {
    len = lineStart;
    yield cut(oversized);
  } else if (len > 0) {
    // the file's last line has no newline
    lineStart = len;
    yield cut();
  }
}

/**
 * A block's records in file order (blank lines skipped, as they do not count as records): each
 * line parsed, or an UnparseableRecord saying why not (not UTF-8, not JSON, over the size limit).
 * UTF-8 is checked once for the whole block, line by line only when that fails: bytes that are
 * not UTF-8 reject their line, never repaired.
 */
export function blockRecords(block: NdjsonBlock, decodeBytes = DECODE_BYTES): RawRecord[] {
  const { bytes } = block;
  const records: RawRecord[] = [];
  let lineNo = block.firstLineNo - 1;
  const addLine = (line: string): void => {
    lineNo++;
    if (line.length === 0) return;
    const first = line.charCodeAt(0);
    // whitespace-only lines are blank; only look when the line starts with whitespace
    if (first <= 0x20 && line.trim().length === 0) return;
    if (lineNo === 1 && first === 0xfeff) line = line.slice(1);
    records.push(parseJsonLine(line, lineNo));
  };
  if (bytes.length > 0) {
    const end = bytes[bytes.length - 1] === NEWLINE ? bytes.length - 1 : bytes.length;
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (invalidUtf8Offset(bytes, 0, end) < 0) {
      // decoded a piece at a time: a string over V8's 128 KB goes to its large-object space,
      // a fresh mapping each, and a block's text as one string made the kernel map and unmap
      // ~2 KB per event (issue 14: a quarter of ingest's CPU was system time). Multi-byte
      // characters never straddle a newline byte: the text splits where the bytes do.
      for (let start = 0; ; ) {
        let stop = end;
        if (end - start > decodeBytes) {
          stop = view.lastIndexOf(NEWLINE, start + decodeBytes);
          if (stop < start) stop = view.indexOf(NEWLINE, start + decodeBytes);
          if (stop < 0 || stop > end) stop = end;
        }
        const text = view.toString('utf8', start, stop);
        let from = 0;
        for (;;) {
          const to = text.indexOf('\n', from);
          addLine(to < 0 ? text.slice(from) : text.slice(from, to));
          if (to < 0) break;
          from = to + 1;
        }
        if (stop === end) break;
        start = stop + 1;
      }
    } else {
      for (let from = 0; from <= end; ) {
        let to = view.indexOf(NEWLINE, from);
        if (to < 0 || to > end) to = end;
        const bad = invalidUtf8Offset(bytes, from, to);
        if (bad < 0) addLine(view.toString('utf8', from, to));
        else {
          lineNo++;
          records.push(new UnparseableRecord(`line ${lineNo}: ${invalidUtf8Text(block.offset + from + bad, `the file (byte ${bad} of the line)`)}`));
        }
        from = to + 1;
      }
    }
  }
  if (block.oversizedBytes !== undefined) {
    lineNo++;
    const mb = (block.oversizedBytes / 1024 / 1024).toFixed(1);
    records.push(new UnparseableRecord(`line ${lineNo}: line is ${mb} MB, over the ${MAX_RECORD_BYTES / 1024 / 1024} MB limit for one event`));
  }
  return records;
}

/**
 * NDJSON bytes as parsed records, `batchSize` at a time (ndjsonBlocks and blockRecords in this
 * thread, one buffer reused). The generator suspends at each yield, so a slow consumer pauses
 * the file stream.
 */
export async function* ndjsonBatches(chunks: AsyncIterable<Uint8Array>, batchSize: number): AsyncGenerator<RawRecord[]> {
  const spare: Uint8Array[] = [];
  const take = (n: number) => {
    const i = spare.findIndex((b) => b.length >= n);
    return i >= 0 ? spare.splice(i, 1)[0] : new Uint8Array(n);
  };
  let batch: RawRecord[] = [];
  for await (const block of ndjsonBlocks(chunks, BLOCK_BYTES, take)) {
    const records = blockRecords(block);
    // parsed: nothing refers to the bytes any more
    if (spare.length < 2) spare.push(new Uint8Array(block.bytes.buffer));
    for (const r of records) {
      batch.push(r);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

const BLOCK_BYTES = 256 * 1024;
/** Bytes decoded into one string: under V8's large-object size (128 KB) with room for a line's end. */
const DECODE_BYTES = 64 * 1024;
