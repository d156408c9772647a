import { isUtf8 } from 'node:buffer';

/**
 * Byte offset (from `start`) of the first byte that is not well-formed UTF-8 in
 * `bytes[start, end)`, or -1 when all of it is. Invalid text is rejected, never repaired:
 * decoding with U+FFFD made `coll\xff` and `coll\xfe` the same id, and one event a duplicate.
 * The native check is the fast path; the byte walk below runs only on text already known
 * to be bad, to say where (RFC 3629 section 4: no overlongs, surrogates or code points past U+10FFFF).
 */
export function invalidUtf8Offset(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (isUtf8(bytes.subarray(start, end))) return -1;
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i - start;
    if (i + need >= end) return i - start;
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return i - start;
    for (let k = 2; k <= need; k++) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i - start;
    }
    i += need + 1;
  }
  return -1;
}

/** "invalid UTF-8 at byte 1,234": the words every reader uses, so that one grep finds them all. */
export function invalidUtf8Text(offset: number, of: string): string {
  return `invalid UTF-8 at byte ${offset.toLocaleString('en-US')} of ${of}; Loopwatch stores text as sent and does not repair it, so send UTF-8`;
}

/** Bytes at the end of `buf` that begin a multi-byte character the next chunk completes (0 to 3). */
export function incompleteTail(buf: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, buf.length); k++) {
    const b = buf[buf.length - k];
    if (b >= 0x80 && b <= 0xbf) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > k ? k : 0;
  }
  return 0;
}

/**
 * Where a stream of chunks first stops being UTF-8: the byte offset and the 1-based line,
 * or undefined when all of it is UTF-8. Characters split across chunks are carried over.
 */
export async function firstInvalidUtf8(chunks: AsyncIterable<Buffer>): Promise<{ offset: number; line: number } | undefined> {
  let base = 0;
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    const end = buf.length - tail;
    const bad = invalidUtf8Offset(buf, 0, end);
    if (bad >= 0) return { offset: base + bad, line: line + countNewlines(buf, 0, bad) };
    line += countNewlines(buf, 0, end);
    base += end;
    carry = Buffer.from(buf.subarray(end));
  }
  return carry.length ? { offset: base, line } : undefined;
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a, from); i >= 0 && i < to; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}
